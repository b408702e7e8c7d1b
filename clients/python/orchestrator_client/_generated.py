"""Generated from docs/openapi.json by clients/python/tools/generate.py — do not edit; run it again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, Union

from ._base import Model, MonitoringFrames, MonitoringReportFrames

# operationId -> (method, path, path parameters, query parameters, request media types)
OPERATIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    'Health': ('GET', '/healthz', (), (), ()),
    'Ready': ('GET', '/readyz', (), (), ()),
    'ListProjects': ('GET', '/api/projects', (), (), ()),
    'GetProject': ('GET', '/api/projects/{project}', ('project',), (), ()),
    'PutProject': ('PUT', '/api/projects/{project}', ('project',), (), ('application/json',)),
    'SearchDatasets': ('GET', '/api/datasets', (), ('q', 'column', 'tag', 'project', 'order', 'offset', 'limit'), ()),
    'FindDataset': ('GET', '/api/datasets/{dataset}', ('dataset',), (), ()),
    'GetDataset': ('GET', '/api/projects/{project}/datasets/{dataset}', ('project', 'dataset'), (), ()),
    'UploadDataset': ('POST', '/api/projects/{project}/datasets/{dataset}', ('project', 'dataset'), ('name',), ('text/csv', 'application/json', 'application/x-ndjson', 'application/vnd.apache.parquet', 'application/octet-stream', '*/*')),
    'PatchDataset': ('PATCH', '/api/projects/{project}/datasets/{dataset}', ('project', 'dataset'), (), ('application/json',)),
    'IngestFromLanding': ('POST', '/api/projects/{project}/datasets/{dataset}/ingest', ('project', 'dataset'), (), ('application/json',)),
    'GetDatasetVersion': ('GET', '/api/projects/{project}/datasets/{dataset}/versions/{version}', ('project', 'dataset', 'version'), (), ()),
    'GetDatasetQuarantine': ('GET', '/api/projects/{project}/datasets/{dataset}/versions/{version}/quarantine', ('project', 'dataset', 'version'), (), ()),
    'DiffDatasetVersions': ('GET', '/api/projects/{project}/datasets/{dataset}/versions/{version}/diff/{other}', ('project', 'dataset', 'version', 'other'), (), ()),
    'ListRuns': ('GET', '/api/projects/{project}/runs', ('project',), ('status', 'trigger', 'dataset', 'order', 'offset', 'limit'), ()),
    'StartRun': ('POST', '/api/projects/{project}/runs', ('project',), (), ('application/json',)),
    'GetRun': ('GET', '/api/runs/{runId}', ('runId',), ('trials',), ()),
    'Rerun': ('POST', '/api/runs/{runId}/rerun', ('runId',), (), ('application/json',)),
    'GetModelCard': ('GET', '/api/runs/{runId}/model-card', ('runId',), (), ()),
    'ListTrials': ('GET', '/api/runs/{runId}/trials', ('runId',), ('sort', 'offset', 'limit'), ()),
    'GetTrial': ('GET', '/api/trials/{id}', ('id',), (), ()),
    'ListApprovals': ('GET', '/api/approvals', (), ('status', 'approver', 'project', 'run', 'offset', 'limit'), ()),
    'GetApprovalPage': ('GET', '/api/approvals/{approvalId}', ('approvalId',), ('token',), ()),
    'DecideApproval': ('POST', '/api/approvals/{approvalId}', ('approvalId',), (), ('application/json', 'application/x-www-form-urlencoded')),
    'ResendApproval': ('POST', '/api/approvals/{approvalId}/resend', ('approvalId',), (), ()),
    'CancelApproval': ('POST', '/api/approvals/{approvalId}/cancel', ('approvalId',), (), ('application/json',)),
    'ListModels': ('GET', '/api/projects/{project}/models', ('project',), (), ()),
    'PromoteModel': ('POST', '/api/projects/{project}/models/{version}/promote', ('project', 'version'), (), ('application/json',)),
    'RollbackModel': ('POST', '/api/projects/{project}/models/rollback', ('project',), (), ('application/json',)),
    'ExportModelOnnx': ('GET', '/api/projects/{project}/models/{version}/onnx', ('project', 'version'), ('check',), ()),
    'CompareModels': ('GET', '/api/projects/{project}/models/compare', ('project',), ('from', 'to'), ()),
    'BatchScoreModel': ('POST', '/api/projects/{project}/models/{version}/batch', ('project', 'version'), (), ('application/json',)),
    'GetBatch': ('GET', '/api/batches/{id}', ('id',), (), ()),
    'Predict': ('POST', '/api/projects/{project}/predict', ('project',), (), ('application/json',)),
    'Feedback': ('POST', '/api/projects/{project}/feedback', ('project',), (), ('application/json',)),
    'GetMonitoring': ('GET', '/api/projects/{project}/monitoring', ('project',), ('from', 'to'), ()),
    'PutMonitoringSettings': ('PUT', '/api/projects/{project}/monitoring/settings', ('project',), (), ('application/json',)),
    'RunMonitoring': ('POST', '/api/projects/{project}/monitoring/run', ('project',), (), ('application/json',)),
    'WhoAmI': ('GET', '/api/me', (), (), ()),
    'ListGrants': ('GET', '/api/access', (), ('principal', 'project'), ()),
    'AddGrant': ('POST', '/api/access', (), (), ('application/json',)),
    'RevokeGrant': ('DELETE', '/api/access', (), ('principal', 'role', 'project', 'environment'), ()),
    'MintDevelopmentToken': ('POST', '/api/dev/token', (), (), ('application/json',)),
    'ListWebhooks': ('GET', '/api/webhooks', (), ('project', 'all'), ()),
    'CreateWebhook': ('POST', '/api/webhooks', (), (), ('application/json',)),
    'GetWebhook': ('GET', '/api/webhooks/{id}', ('id',), (), ()),
    'DeleteWebhook': ('DELETE', '/api/webhooks/{id}', ('id',), (), ()),
    'ListWebhookDeliveries': ('GET', '/api/webhooks/{id}/deliveries', ('id',), ('status',), ()),
    'GetLineage': ('GET', '/api/lineage/{kind}/{id}', ('kind', 'id'), ('direction', 'depth', 'format'), ()),
    'GetAudit': ('GET', '/api/audit', (), ('target', 'actor', 'action', 'from', 'to', 'limit', 'order'), ()),
}

ApprovalStatus = Literal['Pending', 'Approved', 'Rejected', 'Expired', 'Cancelled']

LineageDirection = Literal['both', 'up', 'down']

ModelStage = Literal['registered', 'staging', 'production', 'archived']

RunStage = Literal['DataEngineering', 'DataScience', 'Approval', 'Deployment', 'Done']

RunStatus = Literal['Running', 'AwaitingApproval', 'Completed', 'Rejected', 'TimedOut', 'Failed', 'Cancelled', 'NotBetter']

TrialStatus = Literal['Succeeded', 'Failed']


@dataclass(repr=False)
class ApprovalView(Model):
    """An approval request as its readers see it (never its tokens): status, approvers and quorum, decisions, who was notified."""

    approval_id: str | None = None
    run_id: str | None = None
    project: str | None = None
    status: ApprovalStatus | None = None
    approvers: list[str] | None = None
    quorum: int | None = None
    expires_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None
    reason: str | None = None
    decisions: list[ApproverDecision] | None = None
    notified: list[str] | None = None
    escalated: list[str] | None = None
    reminders: int | None = None
    send_error: str | None = None
    requested_by: str | None = None
    trial_id: str | None = None
    created_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'approval_id': ('approvalId', ('str',)),
        'run_id': ('runId', ('str',)),
        'project': ('project', ('str',)),
        'status': ('status', ('str',)),
        'approvers': ('approvers', ('list', ('str',))),
        'quorum': ('quorum', ('int',)),
        'expires_at': ('expiresAt', ('datetime',)),
        'decided_by': ('decidedBy', ('str',)),
        'decided_at': ('decidedAt', ('datetime',)),
        'comment': ('comment', ('str',)),
        'reason': ('reason', ('str',)),
        'decisions': ('decisions', ('list', ('model', 'ApproverDecision'))),
        'notified': ('notified', ('list', ('str',))),
        'escalated': ('escalated', ('list', ('str',))),
        'reminders': ('reminders', ('int',)),
        'send_error': ('sendError', ('str',)),
        'requested_by': ('requestedBy', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('approvalId', 'runId', 'project', 'status', 'approvers', 'quorum', 'expiresAt', 'decidedBy', 'decidedAt', 'comment', 'reason', 'decisions', 'notified', 'escalated', 'reminders', 'sendError', 'requestedBy', 'trialId', 'createdAt')


@dataclass(repr=False)
class ApprovalsView(Model):
    """Approval requests the caller may read."""

    approvals: list[ApprovalView] | None = None
    total: int | None = None
    offset: int | None = None
    limit: int | None = None
    next_offset: int | None = None
    _fields: ClassVar[dict] = {
        'approvals': ('approvals', ('list', ('model', 'ApprovalView'))),
        'total': ('total', ('int',)),
        'offset': ('offset', ('int',)),
        'limit': ('limit', ('int',)),
        'next_offset': ('nextOffset', ('int',)),
    }
    _required: ClassVar[tuple] = ('approvals', 'total', 'offset', 'limit', 'nextOffset')
    _frame_of: ClassVar[str] = 'approvals'


@dataclass(repr=False)
class ApproverDecision(Model):
    """One approver's decision."""

    approver: str | None = None
    decision: str | None = None
    reason: str | None = None
    comment: str | None = None
    at: datetime | None = None
    _fields: ClassVar[dict] = {
        'approver': ('approver', ('str',)),
        'decision': ('decision', ('str',)),
        'reason': ('reason', ('str',)),
        'comment': ('comment', ('str',)),
        'at': ('at', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('approver', 'decision', 'reason', 'comment', 'at')


@dataclass(repr=False)
class AuditEntry(Model):
    """One audited action: who (and with which role), what, on what, when, how it went, from where."""

    id: str | None = None
    at: datetime | None = None
    actor: str | None = None
    role: str | None = None
    action: str | None = None
    target: str | None = None
    project: str | None = None
    outcome: str | None = None
    status: int | None = None
    correlation_id: str | None = None
    client_ip: str | None = None
    detail: str | None = None
    count: int | None = None
    _fields: ClassVar[dict] = {
        'id': ('id', ('str',)),
        'at': ('at', ('datetime',)),
        'actor': ('actor', ('str',)),
        'role': ('role', ('str',)),
        'action': ('action', ('str',)),
        'target': ('target', ('str',)),
        'project': ('project', ('str',)),
        'outcome': ('outcome', ('str',)),
        'status': ('status', ('int',)),
        'correlation_id': ('correlationId', ('str',)),
        'client_ip': ('clientIp', ('str',)),
        'detail': ('detail', ('str',)),
        'count': ('count', ('int',)),
    }
    _required: ClassVar[tuple] = ('id', 'at', 'actor', 'role', 'action', 'target', 'project', 'outcome', 'status', 'correlationId', 'clientIp')


@dataclass(repr=False)
class AuditView(Model):
    """The entries of the audit log between two times, newest first (or oldest first when asked)."""

    from_: datetime | None = None
    to: datetime | None = None
    entries: list[AuditEntry] | None = None
    _fields: ClassVar[dict] = {
        'from_': ('from', ('datetime',)),
        'to': ('to', ('datetime',)),
        'entries': ('entries', ('list', ('model', 'AuditEntry'))),
    }
    _required: ClassVar[tuple] = ('from', 'to', 'entries')
    _frame_of: ClassVar[str] = 'entries'


@dataclass(repr=False)
class BatchPartResult(Model):
    """What one part gave: rows read, rows scored (the others were not asked for), the output blob (none when nothing was
scored), or why the part could not be scored (a value the model cannot read, naming row and column); the columns
the part added to each row."""

    part: int | None = None
    rows_read: int | None = None
    rows_scored: int | None = None
    output: str | None = None
    error: str | None = None
    columns: list[str] | None = None
    _fields: ClassVar[dict] = {
        'part': ('part', ('int',)),
        'rows_read': ('rowsRead', ('int',)),
        'rows_scored': ('rowsScored', ('int',)),
        'output': ('output', ('str',)),
        'error': ('error', ('str',)),
        'columns': ('columns', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ('part', 'rowsRead', 'rowsScored', 'output')


@dataclass(repr=False)
class BatchRequest(Model):
    """A batch scoring request: the dataset and its version to score (the latest when absent), and which rows — all
(default) or only those without the label, the rows training left out."""

    dataset: str | None = None
    version: int | None = None
    rows: str | None = None
    _fields: ClassVar[dict] = {
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'rows': ('rows', ('str',)),
    }
    _required: ClassVar[tuple] = ('dataset', 'version', 'rows')


@dataclass(repr=False)
class BatchScoringSchedule(Model):
    """Batch scoring started by the timer: once `schedule` (NCRONTAB with seconds) comes due after the dataset's
latest version became ready, that version is scored with what serves production — once per pair of model version
and dataset version (its batch id is derived from them)."""

    dataset: str | None = None
    schedule: str | None = None
    rows: str | None = None
    _fields: ClassVar[dict] = {
        'dataset': ('dataset', ('str',)),
        'schedule': ('schedule', ('str',)),
        'rows': ('rows', ('str',)),
    }
    _required: ClassVar[tuple] = ('dataset', 'schedule')


@dataclass(repr=False)
class BatchView(Model):
    """A batch scoring: what it scores with which model version, how far it is (parts done of the version's curated parts,
rows read and scored), where its Parquet output and manifest are in the `predictions` container, and why it
failed when it did. `status`: Running, Completed or Failed."""

    batch_id: str | None = None
    project: str | None = None
    model_version: int | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    rows: str | None = None
    status: str | None = None
    parts_total: int | None = None
    parts_done: int | None = None
    rows_read: int | None = None
    rows_scored: int | None = None
    output_prefix: str | None = None
    status_url: str | None = None
    requested_by: str | None = None
    requested_at: datetime | None = None
    manifest: str | None = None
    prediction_columns: list[str] | None = None
    parts: list[BatchPartResult] | None = None
    error: str | None = None
    completed_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'batch_id': ('batchId', ('str',)),
        'project': ('project', ('str',)),
        'model_version': ('modelVersion', ('int',)),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'rows': ('rows', ('str',)),
        'status': ('status', ('str',)),
        'parts_total': ('partsTotal', ('int',)),
        'parts_done': ('partsDone', ('int',)),
        'rows_read': ('rowsRead', ('int',)),
        'rows_scored': ('rowsScored', ('int',)),
        'output_prefix': ('outputPrefix', ('str',)),
        'status_url': ('statusUrl', ('str',)),
        'requested_by': ('requestedBy', ('str',)),
        'requested_at': ('requestedAt', ('datetime',)),
        'manifest': ('manifest', ('str',)),
        'prediction_columns': ('predictionColumns', ('list', ('str',))),
        'parts': ('parts', ('list', ('model', 'BatchPartResult'))),
        'error': ('error', ('str',)),
        'completed_at': ('completedAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('batchId', 'project', 'modelVersion', 'dataset', 'datasetVersion', 'rows', 'status', 'partsTotal', 'partsDone', 'rowsRead', 'rowsScored', 'outputPrefix', 'statusUrl', 'requestedBy', 'requestedAt')


@dataclass(repr=False)
class CancelRequest(Model):
    """The run's owner withdraws the request, saying why."""

    comment: str | None = None
    _fields: ClassVar[dict] = {
        'comment': ('comment', ('str',)),
    }
    _required: ClassVar[tuple] = ('comment',)


@dataclass(repr=False)
class CandidateSpec(Model):
    """One training configuration to try: a trainer and its hyperparameters."""

    trainer: str | None = None
    parameters: dict[str, float] | None = None
    _fields: ClassVar[dict] = {
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('float',))),
    }
    _required: ClassVar[tuple] = ('trainer', 'parameters')


@dataclass(repr=False)
class CatalogEntryView(Model):
    """One catalog entry as search and find answer it (a restricted dataset the caller may not read shows no columns)."""

    project: str | None = None
    dataset: str | None = None
    owner: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    kind: str | None = None
    latest_version: int | None = None
    columns: list[str] | None = None
    updated_at: datetime | None = None
    restricted: bool | None = None
    url: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'owner': ('owner', ('str',)),
        'description': ('description', ('str',)),
        'tags': ('tags', ('list', ('str',))),
        'kind': ('kind', ('str',)),
        'latest_version': ('latestVersion', ('int',)),
        'columns': ('columns', ('list', ('str',))),
        'updated_at': ('updatedAt', ('datetime',)),
        'restricted': ('restricted', ('any',)),
        'url': ('url', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'owner', 'description', 'tags', 'kind', 'latestVersion', 'columns', 'updatedAt', 'restricted', 'url')


@dataclass(repr=False)
class CatalogFindView(Model):
    """The catalog entries of one dataset name, in every project that has it."""

    dataset: str | None = None
    count: int | None = None
    datasets: list[CatalogEntryView] | None = None
    _fields: ClassVar[dict] = {
        'dataset': ('dataset', ('str',)),
        'count': ('count', ('int',)),
        'datasets': ('datasets', ('list', ('model', 'CatalogEntryView'))),
    }
    _required: ClassVar[tuple] = ('dataset', 'count', 'datasets')


@dataclass(repr=False)
class CatalogSearchView(Model):
    """A page of what a catalog search found: `count` entries matched in all, this page starts at `offset`."""

    count: int | None = None
    datasets: list[CatalogEntryView] | None = None
    offset: int | None = None
    limit: int | None = None
    next_offset: int | None = None
    _fields: ClassVar[dict] = {
        'count': ('count', ('int',)),
        'datasets': ('datasets', ('list', ('model', 'CatalogEntryView'))),
        'offset': ('offset', ('int',)),
        'limit': ('limit', ('int',)),
        'next_offset': ('nextOffset', ('int',)),
    }
    _required: ClassVar[tuple] = ('count', 'datasets', 'offset', 'limit', 'nextOffset')
    _frame_of: ClassVar[str] = 'datasets'


@dataclass(repr=False)
class ChampionComparison(Model):
    """The production model (champion) evaluated on a run's test set, against the run's best candidate (challenger)."""

    champion_version: int | None = None
    champion_metrics: dict[str, float] | None = None
    metric: str | None = None
    challenger: float | None = None
    champion: float | None = None
    min_improvement: float | None = None
    better: bool | None = None
    _fields: ClassVar[dict] = {
        'champion_version': ('championVersion', ('int',)),
        'champion_metrics': ('championMetrics', ('dict', ('float',))),
        'metric': ('metric', ('str',)),
        'challenger': ('challenger', ('float',)),
        'champion': ('champion', ('float',)),
        'min_improvement': ('minImprovement', ('float',)),
        'better': ('better', ('any',)),
    }
    _required: ClassVar[tuple] = ('championVersion', 'championMetrics', 'metric', 'challenger', 'champion', 'minImprovement', 'better')


@dataclass(repr=False)
class CleaningCounts(Model):
    """What cleaning changed, with counts (reported per version)."""

    trimmed_cells: int | None = None
    missing_tokens: int | None = None
    coerced_cells: int | None = None
    duplicate_rows: int | None = None
    duplicates_removed: int | None = None
    key_violations: int | None = None
    _fields: ClassVar[dict] = {
        'trimmed_cells': ('trimmedCells', ('int',)),
        'missing_tokens': ('missingTokens', ('int',)),
        'coerced_cells': ('coercedCells', ('int',)),
        'duplicate_rows': ('duplicateRows', ('int',)),
        'duplicates_removed': ('duplicatesRemoved', ('int',)),
        'key_violations': ('keyViolations', ('int',)),
    }
    _required: ClassVar[tuple] = ('trimmedCells', 'missingTokens', 'coercedCells', 'duplicateRows', 'duplicatesRemoved', 'keyViolations')


@dataclass(repr=False)
class ColumnExpectation(Model):
    """Checks one column must pass; each failure sends the row to quarantine with the reason."""

    type: str | None = None
    not_null: bool | None = None
    min: float | None = None
    max: float | None = None
    allowed_values: list[str] | None = None
    max_null_share: float | None = None
    _fields: ClassVar[dict] = {
        'type': ('type', ('str',)),
        'not_null': ('notNull', ('any',)),
        'min': ('min', ('float',)),
        'max': ('max', ('float',)),
        'allowed_values': ('allowedValues', ('list', ('str',))),
        'max_null_share': ('maxNullShare', ('float',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class ColumnProfile(Model):
    """What the data-quality report shows of one column; also the drift baseline of the column."""

    name: str | None = None
    type: str | None = None
    count: int | None = None
    nulls: int | None = None
    null_share: float | None = None
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    top_values: list[ValueCount] | None = None
    histogram: Histogram | None = None
    distinct_values: int | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'type': ('type', ('str',)),
        'count': ('count', ('int',)),
        'nulls': ('nulls', ('int',)),
        'null_share': ('nullShare', ('float',)),
        'min': ('min', ('float',)),
        'max': ('max', ('float',)),
        'mean': ('mean', ('float',)),
        'std': ('std', ('float',)),
        'top_values': ('topValues', ('list', ('model', 'ValueCount'))),
        'histogram': ('histogram', ('model', 'Histogram')),
        'distinct_values': ('distinctValues', ('int',)),
    }
    _required: ClassVar[tuple] = ('name', 'type', 'count', 'nulls', 'nullShare', 'min', 'max', 'mean', 'std', 'topValues', 'histogram', 'distinctValues')


@dataclass(repr=False)
class ColumnSchema(Model):
    """One column of a curated dataset."""

    name: str | None = None
    type: str | None = None
    nullable: bool | None = None
    distinct: int | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'type': ('type', ('str',)),
        'nullable': ('nullable', ('any',)),
        'distinct': ('distinct', ('int',)),
    }
    _required: ClassVar[tuple] = ('name', 'type', 'nullable', 'distinct')


@dataclass(repr=False)
class ColumnShift(Model):
    """How the distribution of a column present in both versions with the same type moved."""

    column: str | None = None
    type: str | None = None
    method: str | None = None
    score: float | None = None
    threshold: float | None = None
    shifted: bool | None = None
    psi: float | None = None
    null_share_before: float | None = None
    null_share_after: float | None = None
    _fields: ClassVar[dict] = {
        'column': ('column', ('str',)),
        'type': ('type', ('str',)),
        'method': ('method', ('str',)),
        'score': ('score', ('float',)),
        'threshold': ('threshold', ('float',)),
        'shifted': ('shifted', ('any',)),
        'psi': ('psi', ('float',)),
        'null_share_before': ('nullShareBefore', ('float',)),
        'null_share_after': ('nullShareAfter', ('float',)),
    }
    _required: ClassVar[tuple] = ('column', 'type', 'method', 'score', 'threshold', 'shifted', 'psi', 'nullShareBefore', 'nullShareAfter')


@dataclass(repr=False)
class ConfusionMatrix(Model):
    """Confusion matrix on the test set: rows are actual classes, columns predicted."""

    classes: list[str] | None = None
    counts: list[list[float]] | None = None
    _fields: ClassVar[dict] = {
        'classes': ('classes', ('list', ('str',))),
        'counts': ('counts', ('list', ('list', ('float',)))),
    }
    _required: ClassVar[tuple] = ('classes', 'counts')


@dataclass(repr=False)
class DataQualityReport(Model):
    """Data-quality report of one ingested version (stored as JSON in `reports`)."""

    project: str | None = None
    dataset: str | None = None
    version: int | None = None
    format: str | None = None
    content_hash: str | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    rows_quarantined: int | None = None
    schema: DatasetSchema | None = None
    quarantine_sample: list[QuarantinedRow] | None = None
    created_at: datetime | None = None
    profiles: list[ColumnProfile] | None = None
    cleaning: CleaningCounts | None = None
    rules: list[RuleResult] | None = None
    expectations: DatasetExpectations | None = None
    chunks: int | None = None
    seconds: float | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'format': ('format', ('str',)),
        'content_hash': ('contentHash', ('str',)),
        'rows_in': ('rowsIn', ('int',)),
        'rows_out': ('rowsOut', ('int',)),
        'rows_quarantined': ('rowsQuarantined', ('int',)),
        'schema': ('schema', ('model', 'DatasetSchema')),
        'quarantine_sample': ('quarantineSample', ('list', ('model', 'QuarantinedRow'))),
        'created_at': ('createdAt', ('datetime',)),
        'profiles': ('profiles', ('list', ('model', 'ColumnProfile'))),
        'cleaning': ('cleaning', ('model', 'CleaningCounts')),
        'rules': ('rules', ('list', ('model', 'RuleResult'))),
        'expectations': ('expectations', ('model', 'DatasetExpectations')),
        'chunks': ('chunks', ('int',)),
        'seconds': ('seconds', ('float',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'version', 'format', 'contentHash', 'rowsIn', 'rowsOut', 'rowsQuarantined', 'schema', 'quarantineSample', 'createdAt')


@dataclass(repr=False)
class DatasetDiffView(Model):
    """Two versions compared: schema changes and per-column distribution shift from the baseline to the current one."""

    project: str | None = None
    dataset: str | None = None
    baseline: int | None = None
    current: int | None = None
    rows: RowCountsView | None = None
    schema_changes: list[SchemaChange] | None = None
    shifts: list[ColumnShift] | None = None
    shifted_share: float | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'baseline': ('baseline', ('int',)),
        'current': ('current', ('int',)),
        'rows': ('rows', ('model', 'RowCountsView')),
        'schema_changes': ('schemaChanges', ('list', ('model', 'SchemaChange'))),
        'shifts': ('shifts', ('list', ('model', 'ColumnShift'))),
        'shifted_share': ('shiftedShare', ('float',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'baseline', 'current', 'rows', 'schemaChanges', 'shifts', 'shiftedShare')


@dataclass(repr=False)
class DatasetEntryViewDatasetDetailView(Model):
    """The catalog entry and its versions, oldest first, for a caller who may read the dataset."""

    columns: list[str] | None = None
    expectations: DatasetExpectations | None = None
    inferred_expectations: DatasetExpectations | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    restricted: bool | None = None
    restricted_to: list[str] | None = None
    versions: list[DatasetVersionInfo] | None = None
    project: str | None = None
    dataset: str | None = None
    owner: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    kind: str | None = None
    latest_version: int | None = None
    _fields: ClassVar[dict] = {
        'columns': ('columns', ('list', ('str',))),
        'expectations': ('expectations', ('model', 'DatasetExpectations')),
        'inferred_expectations': ('inferredExpectations', ('model', 'DatasetExpectations')),
        'created_at': ('createdAt', ('datetime',)),
        'updated_at': ('updatedAt', ('datetime',)),
        'restricted': ('restricted', ('any',)),
        'restricted_to': ('restrictedTo', ('list', ('str',))),
        'versions': ('versions', ('list', ('model', 'DatasetVersionInfo'))),
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'owner': ('owner', ('str',)),
        'description': ('description', ('str',)),
        'tags': ('tags', ('list', ('str',))),
        'kind': ('kind', ('str',)),
        'latest_version': ('latestVersion', ('int',)),
    }
    _required: ClassVar[tuple] = ('columns', 'expectations', 'inferredExpectations', 'createdAt', 'updatedAt', 'restricted', 'restrictedTo', 'versions', 'project', 'dataset', 'owner', 'description', 'tags', 'kind', 'latestVersion')


@dataclass(repr=False)
class DatasetEntryViewRestrictedDatasetView(Model):
    """A restricted dataset for a caller outside its groups: that it exists and who owns it; no columns, expectations or row counts."""

    restricted: bool | None = None
    restricted_to: list[str] | None = None
    versions: list[VersionSummaryView] | None = None
    project: str | None = None
    dataset: str | None = None
    owner: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    kind: str | None = None
    latest_version: int | None = None
    _fields: ClassVar[dict] = {
        'restricted': ('restricted', ('any',)),
        'restricted_to': ('restrictedTo', ('list', ('str',))),
        'versions': ('versions', ('list', ('model', 'VersionSummaryView'))),
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'owner': ('owner', ('str',)),
        'description': ('description', ('str',)),
        'tags': ('tags', ('list', ('str',))),
        'kind': ('kind', ('str',)),
        'latest_version': ('latestVersion', ('int',)),
    }
    _required: ClassVar[tuple] = ('restricted', 'restrictedTo', 'versions', 'project', 'dataset', 'owner', 'description', 'tags', 'kind', 'latestVersion')


@dataclass(repr=False)
class DatasetExpectations(Model):
    """Expectations of a dataset (a Great Expectations suite in small): declared on the dataset, inferred on its first
ingest (required columns, types, not-null), declared ones winning. Row checks quarantine rows; dataset rules
(required columns, rejected share, null share) fail the version."""

    required_columns: list[str] | None = None
    columns: dict[str, ColumnExpectation] | None = None
    key: list[str] | None = None
    deduplicate: str | None = None
    max_rejected_share: float | None = None
    rejected_share_limit: float | None = None
    _fields: ClassVar[dict] = {
        'required_columns': ('requiredColumns', ('list', ('str',))),
        'columns': ('columns', ('dict', ('model', 'ColumnExpectation'))),
        'key': ('key', ('list', ('str',))),
        'deduplicate': ('deduplicate', ('str',)),
        'max_rejected_share': ('maxRejectedShare', ('float',)),
        'rejected_share_limit': ('rejectedShareLimit', ('float',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class DatasetInfo(Model):
    """A dataset in the catalog: who owns it, what it is, how to find it, and what its data must satisfy."""

    project: str | None = None
    dataset: str | None = None
    owner: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    expectations: DatasetExpectations | None = None
    inferred_expectations: DatasetExpectations | None = None
    latest_version: int | None = None
    columns: list[str] | None = None
    kind: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    restricted_to: list[str] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'owner': ('owner', ('str',)),
        'description': ('description', ('str',)),
        'tags': ('tags', ('list', ('str',))),
        'expectations': ('expectations', ('model', 'DatasetExpectations')),
        'inferred_expectations': ('inferredExpectations', ('model', 'DatasetExpectations')),
        'latest_version': ('latestVersion', ('int',)),
        'columns': ('columns', ('list', ('str',))),
        'kind': ('kind', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'updated_at': ('updatedAt', ('datetime',)),
        'restricted_to': ('restrictedTo', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'owner', 'description', 'tags', 'expectations', 'inferredExpectations', 'latestVersion', 'columns', 'kind', 'createdAt', 'updatedAt')


@dataclass(repr=False)
class DatasetPatch(Model):
    """A dataset's metadata sent with `PATCH`: fields present replace the current ones."""

    owner: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    expectations: DatasetExpectations | None = None
    restricted_to: list[str] | None = None
    _fields: ClassVar[dict] = {
        'owner': ('owner', ('str',)),
        'description': ('description', ('str',)),
        'tags': ('tags', ('list', ('str',))),
        'expectations': ('expectations', ('model', 'DatasetExpectations')),
        'restricted_to': ('restrictedTo', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ('owner', 'description', 'tags', 'expectations', 'restrictedTo')


@dataclass(repr=False)
class DatasetSchema(Model):
    """Schema of a curated dataset version."""

    columns: list[ColumnSchema] | None = None
    _fields: ClassVar[dict] = {
        'columns': ('columns', ('list', ('model', 'ColumnSchema'))),
    }
    _required: ClassVar[tuple] = ('columns',)


@dataclass(repr=False)
class DatasetVersionInfo(Model):
    """A dataset version as the catalog tables hold it. Immutable once Ready or Failed."""

    project: str | None = None
    dataset: str | None = None
    version: int | None = None
    status: str | None = None
    format: str | None = None
    content_type: str | None = None
    raw_blob: str | None = None
    curated_blob: str | None = None
    report_blob: str | None = None
    content_hash: str | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    rows_quarantined: int | None = None
    error: str | None = None
    created_at: datetime | None = None
    kind: str | None = None
    bytes: int | None = None
    source: str | None = None
    ingested_by: str | None = None
    file_name: str | None = None
    problems: list[QuarantinedRow] | None = None
    ready_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'status': ('status', ('str',)),
        'format': ('format', ('str',)),
        'content_type': ('contentType', ('str',)),
        'raw_blob': ('rawBlob', ('str',)),
        'curated_blob': ('curatedBlob', ('str',)),
        'report_blob': ('reportBlob', ('str',)),
        'content_hash': ('contentHash', ('str',)),
        'rows_in': ('rowsIn', ('int',)),
        'rows_out': ('rowsOut', ('int',)),
        'rows_quarantined': ('rowsQuarantined', ('int',)),
        'error': ('error', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'kind': ('kind', ('str',)),
        'bytes': ('bytes', ('int',)),
        'source': ('source', ('str',)),
        'ingested_by': ('ingestedBy', ('str',)),
        'file_name': ('fileName', ('str',)),
        'problems': ('problems', ('list', ('model', 'QuarantinedRow'))),
        'ready_at': ('readyAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'version', 'status', 'format', 'contentType', 'rawBlob', 'curatedBlob', 'reportBlob', 'contentHash', 'rowsIn', 'rowsOut', 'rowsQuarantined', 'error', 'createdAt')


@dataclass(repr=False)
class DatasetVersionView(Model):
    """A dataset version with its data-quality report and the runs that used it."""

    project: str | None = None
    dataset: str | None = None
    version: int | None = None
    status: str | None = None
    kind: str | None = None
    format: str | None = None
    content_type: str | None = None
    bytes: int | None = None
    content_hash: str | None = None
    file_name: str | None = None
    source: str | None = None
    ingested_by: str | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    rows_quarantined: int | None = None
    error: str | None = None
    problems: list[QuarantinedRow] | None = None
    raw_blob: str | None = None
    curated_blob: str | None = None
    created_at: datetime | None = None
    ready_at: datetime | None = None
    existing: bool | None = None
    report: DataQualityReport | None = None
    used_by: list[RunUsageView] | None = None
    quarantine_url: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'status': ('status', ('str',)),
        'kind': ('kind', ('str',)),
        'format': ('format', ('str',)),
        'content_type': ('contentType', ('str',)),
        'bytes': ('bytes', ('int',)),
        'content_hash': ('contentHash', ('str',)),
        'file_name': ('fileName', ('str',)),
        'source': ('source', ('str',)),
        'ingested_by': ('ingestedBy', ('str',)),
        'rows_in': ('rowsIn', ('int',)),
        'rows_out': ('rowsOut', ('int',)),
        'rows_quarantined': ('rowsQuarantined', ('int',)),
        'error': ('error', ('str',)),
        'problems': ('problems', ('list', ('model', 'QuarantinedRow'))),
        'raw_blob': ('rawBlob', ('str',)),
        'curated_blob': ('curatedBlob', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'ready_at': ('readyAt', ('datetime',)),
        'existing': ('existing', ('any',)),
        'report': ('report', ('model', 'DataQualityReport')),
        'used_by': ('usedBy', ('list', ('model', 'RunUsageView'))),
        'quarantine_url': ('quarantineUrl', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'version', 'status', 'kind', 'format', 'contentType', 'bytes', 'contentHash', 'fileName', 'source', 'ingestedBy', 'rowsIn', 'rowsOut', 'rowsQuarantined', 'error', 'problems', 'rawBlob', 'curatedBlob', 'createdAt', 'readyAt', 'existing', 'report', 'usedBy', 'quarantineUrl')


@dataclass(repr=False)
class DecisionRequest(Model):
    """An approver's decision with the link's token: `approve` or `reject`, a comment, and for a rejection its reason."""

    token: str | None = None
    decision: str | None = None
    comment: str | None = None
    reason: str | None = None
    _fields: ClassVar[dict] = {
        'token': ('token', ('str',)),
        'decision': ('decision', ('str',)),
        'comment': ('comment', ('str',)),
        'reason': ('reason', ('str',)),
    }
    _required: ClassVar[tuple] = ('token', 'decision', 'comment', 'reason')


@dataclass(repr=False)
class DecisionView(Model):
    """A recorded decision: the request's status after it, the decision as stored, and what it means (quorum reached, waiting for more)."""

    approval_id: str | None = None
    run_id: str | None = None
    status: ApprovalStatus | None = None
    decision: ApproverDecision | None = None
    message: str | None = None
    _fields: ClassVar[dict] = {
        'approval_id': ('approvalId', ('str',)),
        'run_id': ('runId', ('str',)),
        'status': ('status', ('str',)),
        'decision': ('decision', ('model', 'ApproverDecision')),
        'message': ('message', ('str',)),
    }
    _required: ClassVar[tuple] = ('approvalId', 'runId', 'status', 'decision', 'message')


@dataclass(repr=False)
class DeploymentChange(Model):
    """One change of an environment (or an attempt that changed nothing): who, when, why, from which version to which,
and how it went. Append-only."""

    project: str | None = None
    environment: str | None = None
    action: str | None = None
    from_version: int | None = None
    to_version: int | None = None
    by: str | None = None
    reason: str | None = None
    at: datetime | None = None
    outcome: str | None = None
    detail: str | None = None
    request_id: str | None = None
    sequence: int | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'environment': ('environment', ('str',)),
        'action': ('action', ('str',)),
        'from_version': ('fromVersion', ('int',)),
        'to_version': ('toVersion', ('int',)),
        'by': ('by', ('str',)),
        'reason': ('reason', ('str',)),
        'at': ('at', ('datetime',)),
        'outcome': ('outcome', ('str',)),
        'detail': ('detail', ('str',)),
        'request_id': ('requestId', ('str',)),
        'sequence': ('sequence', ('int',)),
    }
    _required: ClassVar[tuple] = ('project', 'environment', 'action', 'fromVersion', 'toVersion', 'by', 'reason', 'at', 'outcome', 'detail', 'requestId')


@dataclass(repr=False)
class DeploymentRequest(Model):
    """A promotion or rollback: the environment it changes, and why (recorded in the change history)."""

    environment: str | None = None
    reason: str | None = None
    _fields: ClassVar[dict] = {
        'environment': ('environment', ('str',)),
        'reason': ('reason', ('str',)),
    }
    _required: ClassVar[tuple] = ('environment', 'reason')


@dataclass(repr=False)
class DeploymentSettings(Model):
    """Shadow traffic: `canaryPercent` percent of the predictions production serves (chosen by a hash of their
prediction id, so the share is exact over many requests and the same ids are always chosen) are also scored by the
staging model, off the request path, and logged under the same prediction id; the caller only ever gets production's answer."""

    canary_percent: float | None = None
    _fields: ClassVar[dict] = {
        'canary_percent': ('canaryPercent', ('float',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class DevelopmentTokenRequest(Model):
    """Who a development token is for: a user id (a mailbox, as Entra ID's `preferred_username`), roles, groups, hours."""

    user: str | None = None
    roles: list[str] | None = None
    groups: list[str] | None = None
    hours: float | None = None
    _fields: ClassVar[dict] = {
        'user': ('user', ('str',)),
        'roles': ('roles', ('list', ('str',))),
        'groups': ('groups', ('list', ('str',))),
        'hours': ('hours', ('float',)),
    }
    _required: ClassVar[tuple] = ('user', 'roles', 'groups', 'hours')


@dataclass(repr=False)
class DevelopmentTokenView(Model):
    """A development token and when it expires."""

    token: str | None = None
    user: str | None = None
    roles: list[str] | None = None
    groups: list[str] | None = None
    expires_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'token': ('token', ('str',)),
        'user': ('user', ('str',)),
        'roles': ('roles', ('list', ('str',))),
        'groups': ('groups', ('list', ('str',))),
        'expires_at': ('expiresAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('token', 'user', 'roles', 'groups', 'expiresAt')


@dataclass(repr=False)
class DriftReport(Model):
    """Drift of a monitoring window against the training data."""

    features: list[FeatureDrift] | None = None
    drifted_share: float | None = None
    dataset_drift: bool | None = None
    prediction: FeatureDrift | None = None
    window_rows: int | None = None
    _fields: ClassVar[dict] = {
        'features': ('features', ('list', ('model', 'FeatureDrift'))),
        'drifted_share': ('driftedShare', ('float',)),
        'dataset_drift': ('datasetDrift', ('any',)),
        'prediction': ('prediction', ('model', 'FeatureDrift')),
        'window_rows': ('windowRows', ('int',)),
    }
    _required: ClassVar[tuple] = ('features', 'driftedShare', 'datasetDrift', 'prediction', 'windowRows')
    _frame_of: ClassVar[str] = 'features'


@dataclass(repr=False)
class EnvironmentView(Model):
    """What an environment serves, what it served before (newest last), and whether it can roll back."""

    version: int | None = None
    previous: list[int] | None = None
    can_rollback: bool | None = None
    _fields: ClassVar[dict] = {
        'version': ('version', ('int',)),
        'previous': ('previous', ('list', ('int',))),
        'can_rollback': ('canRollback', ('any',)),
    }
    _required: ClassVar[tuple] = ('version', 'previous', 'canRollback')


@dataclass(repr=False)
class EvaluationSettings(Model):
    """How trials are evaluated beyond the test set as a whole."""

    slice_by: list[str] | None = None
    _fields: ClassVar[dict] = {
        'slice_by': ('sliceBy', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class FeatureDrift(Model):
    """Whether one feature (or the prediction) drifted from its training baseline."""

    feature: str | None = None
    type: str | None = None
    method: str | None = None
    score: float | None = None
    threshold: float | None = None
    drifted: bool | None = None
    p_value: float | None = None
    psi: float | None = None
    baseline_rows: int | None = None
    window_rows: int | None = None
    histogram: FeatureHistogram | None = None
    _fields: ClassVar[dict] = {
        'feature': ('feature', ('str',)),
        'type': ('type', ('str',)),
        'method': ('method', ('str',)),
        'score': ('score', ('float',)),
        'threshold': ('threshold', ('float',)),
        'drifted': ('drifted', ('any',)),
        'p_value': ('pValue', ('float',)),
        'psi': ('psi', ('float',)),
        'baseline_rows': ('baselineRows', ('int',)),
        'window_rows': ('windowRows', ('int',)),
        'histogram': ('histogram', ('model', 'FeatureHistogram')),
    }
    _required: ClassVar[tuple] = ('feature', 'type', 'method', 'score', 'threshold', 'drifted', 'pValue', 'psi', 'baselineRows', 'windowRows')


@dataclass(repr=False)
class FeatureDriftPoint(Model):
    """A feature's drift in one window."""

    score: float | None = None
    drifted: bool | None = None
    method: str | None = None
    threshold: float | None = None
    p_value: float | None = None
    psi: float | None = None
    _fields: ClassVar[dict] = {
        'score': ('score', ('float',)),
        'drifted': ('drifted', ('any',)),
        'method': ('method', ('str',)),
        'threshold': ('threshold', ('float',)),
        'p_value': ('pValue', ('float',)),
        'psi': ('psi', ('float',)),
    }
    _required: ClassVar[tuple] = ('score', 'drifted', 'method', 'threshold', 'pValue', 'psi')


@dataclass(repr=False)
class FeatureHistogram(Model):
    """The baseline (training data) and the window side by side over the same bins: number and date features over the
baseline's histogram edges (20 equal-width bins of its range), categorical, boolean and text features over their
most frequent categories (at most 10, by the larger share of either side) and "(other)". Missing values are left out of both sides."""

    bins: list[HistogramBin] | None = None
    _fields: ClassVar[dict] = {
        'bins': ('bins', ('list', ('model', 'HistogramBin'))),
    }
    _required: ClassVar[tuple] = ('bins',)


@dataclass(repr=False)
class FeatureHistogramView(Model):
    """A feature's baseline-vs-window histogram in one window."""

    report_id: str | None = None
    window_end: datetime | None = None
    type: str | None = None
    bins: list[HistogramBin] | None = None
    _fields: ClassVar[dict] = {
        'report_id': ('reportId', ('str',)),
        'window_end': ('windowEnd', ('datetime',)),
        'type': ('type', ('str',)),
        'bins': ('bins', ('list', ('model', 'HistogramBin'))),
    }
    _required: ClassVar[tuple] = ('reportId', 'windowEnd', 'type', 'bins')


@dataclass(repr=False)
class FeatureImportance(Model):
    """How much the primary metric drops when one source column's values are shuffled (permutation importance)."""

    feature: str | None = None
    drop: float | None = None
    _fields: ClassVar[dict] = {
        'feature': ('feature', ('str',)),
        'drop': ('drop', ('float',)),
    }
    _required: ClassVar[tuple] = ('feature', 'drop')


@dataclass(repr=False)
class Featurization(Model):
    """How features are prepared, inside the model (so prediction takes raw rows): missing numbers replaced by
`mean`, `median`, `minimum`, `maximum`, `mode`, `zero` or `constant`; numbers normalised `minMax`,
`meanVariance` or `none`; categories `oneHot` or `hash`; dates always become
year/month/day-of-year/day-of-week; text goes through ML.NET's text featurizer."""

    missing_values: str | None = None
    missing_constant: float | None = None
    normalize: str | None = None
    categorical: str | None = None
    exclude: list[str] | None = None
    _fields: ClassVar[dict] = {
        'missing_values': ('missingValues', ('str',)),
        'missing_constant': ('missingConstant', ('float',)),
        'normalize': ('normalize', ('str',)),
        'categorical': ('categorical', ('str',)),
        'exclude': ('exclude', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class FeedbackItem(Model):
    """The true label (string, number or boolean) of a logged prediction. By is ignored: the caller is recorded."""

    prediction_id: str | None = None
    label: Any | None = None
    by: str | None = None
    _fields: ClassVar[dict] = {
        'prediction_id': ('predictionId', ('str',)),
        'label': ('label', ('any',)),
        'by': ('by', ('str',)),
    }
    _required: ClassVar[tuple] = ('predictionId', 'label', 'by')


@dataclass(repr=False)
class FeedbackView(Model):
    """How many feedback items were stored."""

    project: str | None = None
    stored: int | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'stored': ('stored', ('int',)),
    }
    _required: ClassVar[tuple] = ('project', 'stored')


@dataclass(repr=False)
class GrantAddedView(Model):
    """The grant as stored, and whether it was there already (then nothing changed)."""

    grant: GrantView | None = None
    existing: bool | None = None
    _fields: ClassVar[dict] = {
        'grant': ('grant', ('model', 'GrantView')),
        'existing': ('existing', ('any',)),
    }
    _required: ClassVar[tuple] = ('grant', 'existing')


@dataclass(repr=False)
class GrantRequest(Model):
    """A grant to add or revoke: a principal (`alice@contoso.com`, `group:{name}` or `app:{id}`), a role,
and where it applies (a project or `*`, an environment or `*`; left out: `*`)."""

    principal: str | None = None
    role: str | None = None
    project: str | None = None
    environment: str | None = None
    _fields: ClassVar[dict] = {
        'principal': ('principal', ('str',)),
        'role': ('role', ('str',)),
        'project': ('project', ('str',)),
        'environment': ('environment', ('str',)),
    }
    _required: ClassVar[tuple] = ('principal', 'role', 'project', 'environment')


@dataclass(repr=False)
class GrantView(Model):
    """A grant of a role: to whom, where, and who granted it when (token roles have neither)."""

    principal: str | None = None
    role: str | None = None
    project: str | None = None
    environment: str | None = None
    granted_by: str | None = None
    granted_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'principal': ('principal', ('str',)),
        'role': ('role', ('str',)),
        'project': ('project', ('str',)),
        'environment': ('environment', ('str',)),
        'granted_by': ('grantedBy', ('str',)),
        'granted_at': ('grantedAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('principal', 'role', 'project', 'environment', 'grantedBy', 'grantedAt')


@dataclass(repr=False)
class GrantsView(Model):
    """The stored grants that match the query."""

    grants: list[GrantView] | None = None
    _fields: ClassVar[dict] = {
        'grants': ('grants', ('list', ('model', 'GrantView'))),
    }
    _required: ClassVar[tuple] = ('grants',)
    _frame_of: ClassVar[str] = 'grants'


@dataclass(repr=False)
class HealthView(Model):
    """The answer of the health route."""

    status: str | None = None
    _fields: ClassVar[dict] = {
        'status': ('status', ('str',)),
    }
    _required: ClassVar[tuple] = ('status',)


@dataclass(repr=False)
class Histogram(Model):
    """A histogram: bins [Edges[i], Edges[i+1]) (the last one closed) and the values counted in each."""

    edges: list[float] | None = None
    counts: list[int] | None = None
    _fields: ClassVar[dict] = {
        'edges': ('edges', ('list', ('float',))),
        'counts': ('counts', ('list', ('int',))),
    }
    _required: ClassVar[tuple] = ('edges', 'counts')


@dataclass(repr=False)
class HistogramBin(Model):
    """One bin of a FeatureHistogram: a range of numbers or dates, or a category, on both sides."""

    label: str | None = None
    lower: float | None = None
    upper: float | None = None
    baseline: float | None = None
    window: float | None = None
    baseline_count: int | None = None
    window_count: int | None = None
    other: bool | None = None
    _fields: ClassVar[dict] = {
        'label': ('label', ('str',)),
        'lower': ('lower', ('float',)),
        'upper': ('upper', ('float',)),
        'baseline': ('baseline', ('float',)),
        'window': ('window', ('float',)),
        'baseline_count': ('baselineCount', ('int',)),
        'window_count': ('windowCount', ('int',)),
        'other': ('other', ('any',)),
    }
    _required: ClassVar[tuple] = ('label', 'lower', 'upper', 'baseline', 'window', 'baselineCount', 'windowCount', 'other')


@dataclass(repr=False)
class HttpValidationProblemDetails(Model):
    """HttpValidationProblemDetails"""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None
    errors: dict[str, list[str]] | None = None
    _fields: ClassVar[dict] = {
        'type': ('type', ('str',)),
        'title': ('title', ('str',)),
        'status': ('status', ('int',)),
        'detail': ('detail', ('str',)),
        'instance': ('instance', ('str',)),
        'errors': ('errors', ('dict', ('list', ('str',)))),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class InputColumn(Model):
    """One column the model reads: where its value comes from and the ML.NET-safe name it gets."""

    source: str | None = None
    name: str | None = None
    kind: str | None = None
    source_type: str | None = None
    _fields: ClassVar[dict] = {
        'source': ('source', ('str',)),
        'name': ('name', ('str',)),
        'kind': ('kind', ('str',)),
        'source_type': ('sourceType', ('str',)),
    }
    _required: ClassVar[tuple] = ('source', 'name', 'kind', 'sourceType')


@dataclass(repr=False)
class Kpi(Model):
    """A key performance indicator the best model must meet before anyone is asked to approve it."""

    metric: str | None = None
    min: float | None = None
    max: float | None = None
    per_slice: bool | None = None
    _fields: ClassVar[dict] = {
        'metric': ('metric', ('str',)),
        'min': ('min', ('float',)),
        'max': ('max', ('float',)),
        'per_slice': ('perSlice', ('any',)),
    }
    _required: ClassVar[tuple] = ('metric',)


@dataclass(repr=False)
class LandingRequest(Model):
    """A file a source system left in the landing container, to ingest like an upload."""

    blob: str | None = None
    _fields: ClassVar[dict] = {
        'blob': ('blob', ('str',)),
    }
    _required: ClassVar[tuple] = ('blob',)


@dataclass(repr=False)
class LeaderboardEntry(Model):
    """A trial on the leaderboard: its rank (null when it failed or lacks the metric), id `{runId}.{trialId}`, what it trained and how it scored."""

    rank: int | None = None
    id: str | None = None
    trial_id: str | None = None
    trainer: str | None = None
    parameters: dict[str, float] | None = None
    status: TrialStatus | None = None
    metrics: dict[str, float] | None = None
    rung: int | None = None
    budget: float | None = None
    folds: int | None = None
    seed: int | None = None
    training_seconds: float | None = None
    model_bytes: int | None = None
    error: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'rank': ('rank', ('int',)),
        'id': ('id', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('float',))),
        'status': ('status', ('str',)),
        'metrics': ('metrics', ('dict', ('float',))),
        'rung': ('rung', ('int',)),
        'budget': ('budget', ('float',)),
        'folds': ('folds', ('int',)),
        'seed': ('seed', ('int',)),
        'training_seconds': ('trainingSeconds', ('float',)),
        'model_bytes': ('modelBytes', ('int',)),
        'error': ('error', ('str',)),
        'started_at': ('startedAt', ('datetime',)),
        'ended_at': ('endedAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('rank', 'id', 'trialId', 'trainer', 'parameters', 'status', 'metrics', 'rung', 'budget', 'folds', 'seed', 'trainingSeconds', 'modelBytes', 'error', 'startedAt', 'endedAt')


@dataclass(repr=False)
class LeaderboardView(Model):
    """A page of a run's leaderboard, the sort it is in (`metric:asc|desc`) and how many trials there are in all."""

    run_id: str | None = None
    sort: str | None = None
    trials: list[LeaderboardEntry] | None = None
    total: int | None = None
    offset: int | None = None
    limit: int | None = None
    next_offset: int | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'sort': ('sort', ('str',)),
        'trials': ('trials', ('list', ('model', 'LeaderboardEntry'))),
        'total': ('total', ('int',)),
        'offset': ('offset', ('int',)),
        'limit': ('limit', ('int',)),
        'next_offset': ('nextOffset', ('int',)),
    }
    _required: ClassVar[tuple] = ('runId', 'sort', 'trials', 'total', 'offset', 'limit', 'nextOffset')
    _frame_of: ClassVar[str] = 'trials'


@dataclass(repr=False)
class LineageEdgeView(Model):
    """An edge between two nodes of the graph: its type (read "from TYPE to"), when it was recorded, and its properties (empty when none)."""

    from_: LineageNode | None = None
    type: str | None = None
    to: LineageNode | None = None
    at: datetime | None = None
    properties: dict[str, str] | None = None
    _fields: ClassVar[dict] = {
        'from_': ('from', ('model', 'LineageNode')),
        'type': ('type', ('str',)),
        'to': ('to', ('model', 'LineageNode')),
        'at': ('at', ('datetime',)),
        'properties': ('properties', ('dict', ('str',))),
    }
    _required: ClassVar[tuple] = ('from', 'type', 'to', 'at', 'properties')


@dataclass(repr=False)
class LineageNode(Model):
    """A node of the lineage graph: a kind and an id that is stable and readable."""

    kind: str | None = None
    id: str | None = None
    _fields: ClassVar[dict] = {
        'kind': ('kind', ('str',)),
        'id': ('id', ('str',)),
    }
    _required: ClassVar[tuple] = ('kind', 'id')


@dataclass(repr=False)
class LineageNodeView(Model):
    """A node the traversal reached: how many edges from the start, and where the API shows what it stands for (null when nowhere)."""

    kind: str | None = None
    id: str | None = None
    distance: int | None = None
    url: str | None = None
    _fields: ClassVar[dict] = {
        'kind': ('kind', ('str',)),
        'id': ('id', ('str',)),
        'distance': ('distance', ('int',)),
        'url': ('url', ('str',)),
    }
    _required: ClassVar[tuple] = ('kind', 'id', 'distance', 'url')


@dataclass(repr=False)
class LineageView(Model):
    """The lineage graph around a node: the walk asked for, the nodes (the start first) and the edges; truncated when the node limit was hit."""

    root: LineageNode | None = None
    direction: LineageDirection | None = None
    depth: int | None = None
    truncated: bool | None = None
    nodes: list[LineageNodeView] | None = None
    edges: list[LineageEdgeView] | None = None
    _fields: ClassVar[dict] = {
        'root': ('root', ('model', 'LineageNode')),
        'direction': ('direction', ('str',)),
        'depth': ('depth', ('int',)),
        'truncated': ('truncated', ('any',)),
        'nodes': ('nodes', ('list', ('model', 'LineageNodeView'))),
        'edges': ('edges', ('list', ('model', 'LineageEdgeView'))),
    }
    _required: ClassVar[tuple] = ('root', 'direction', 'depth', 'truncated', 'nodes', 'edges')
    _frame_of: ClassVar[str] = 'nodes'


@dataclass(repr=False)
class MeView(Model):
    """The caller as the server sees it: its id, token roles and groups, every grant that applies to it, the permissions it
has somewhere (`permissions`), in every project (`everywhere`), and in each project a grant names
(`projects`: a portal shows a project's actions by these; the API still checks each call)."""

    id: str | None = None
    is_service: bool | None = None
    roles: list[str] | None = None
    groups: list[str] | None = None
    grants: list[GrantView] | None = None
    permissions: list[str] | None = None
    everywhere: list[str] | None = None
    projects: dict[str, list[str]] | None = None
    _fields: ClassVar[dict] = {
        'id': ('id', ('str',)),
        'is_service': ('isService', ('any',)),
        'roles': ('roles', ('list', ('str',))),
        'groups': ('groups', ('list', ('str',))),
        'grants': ('grants', ('list', ('model', 'GrantView'))),
        'permissions': ('permissions', ('list', ('str',))),
        'everywhere': ('everywhere', ('list', ('str',))),
        'projects': ('projects', ('dict', ('list', ('str',)))),
    }
    _required: ClassVar[tuple] = ('id', 'isService', 'roles', 'groups', 'grants', 'permissions', 'everywhere', 'projects')


@dataclass(repr=False)
class ModelCard(Model):
    """What an SME and an auditor need to know about a candidate (stored as JSON in `reports`). `RowsUsed` are
the curated rows with a label; `TrainingRows` says how many others were left out, and why; `Slices` are
the metrics per value of the project's `evaluation.sliceBy` columns on the same test set."""

    project: str | None = None
    run_id: str | None = None
    trial_id: str | None = None
    trainer: str | None = None
    parameters: dict[str, float] | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    content_hash: str | None = None
    rows_in: int | None = None
    rows_used: int | None = None
    rows_quarantined: int | None = None
    features: list[InputColumn] | None = None
    label: str | None = None
    metrics: dict[str, float] | None = None
    kpis: list[Kpi] | None = None
    champion: ChampionComparison | None = None
    confusion_matrix: ConfusionMatrix | None = None
    per_class_recall: dict[str, float] | None = None
    primary_metric: str | None = None
    feature_importance: list[FeatureImportance] | None = None
    created_at: datetime | None = None
    training_rows: TrainingRows | None = None
    slices: list[SliceMetrics] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'run_id': ('runId', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('float',))),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'content_hash': ('contentHash', ('str',)),
        'rows_in': ('rowsIn', ('int',)),
        'rows_used': ('rowsUsed', ('int',)),
        'rows_quarantined': ('rowsQuarantined', ('int',)),
        'features': ('features', ('list', ('model', 'InputColumn'))),
        'label': ('label', ('str',)),
        'metrics': ('metrics', ('dict', ('float',))),
        'kpis': ('kpis', ('list', ('model', 'Kpi'))),
        'champion': ('champion', ('model', 'ChampionComparison')),
        'confusion_matrix': ('confusionMatrix', ('model', 'ConfusionMatrix')),
        'per_class_recall': ('perClassRecall', ('dict', ('float',))),
        'primary_metric': ('primaryMetric', ('str',)),
        'feature_importance': ('featureImportance', ('list', ('model', 'FeatureImportance'))),
        'created_at': ('createdAt', ('datetime',)),
        'training_rows': ('trainingRows', ('model', 'TrainingRows')),
        'slices': ('slices', ('list', ('model', 'SliceMetrics'))),
    }
    _required: ClassVar[tuple] = ('project', 'runId', 'trialId', 'trainer', 'parameters', 'dataset', 'datasetVersion', 'contentHash', 'rowsIn', 'rowsUsed', 'rowsQuarantined', 'features', 'label', 'metrics', 'kpis', 'champion', 'confusionMatrix', 'perClassRecall', 'primaryMetric', 'featureImportance', 'createdAt')


@dataclass(repr=False)
class ModelComparisonView(Model):
    """Champion (production) against challenger (staging) on the same live rows: the shadow predictions of the canary
traffic of requests made in a window, by the versions that serve the two environments now."""

    project: str | None = None
    task: str | None = None
    from_: datetime | None = None
    to: datetime | None = None
    champion: int | None = None
    challenger: int | None = None
    canary_percent: float | None = None
    shadowed: int | None = None
    agreement: float | None = None
    mean_absolute_difference: float | None = None
    feedback_rows: int | None = None
    champion_metrics: dict[str, float] | None = None
    challenger_metrics: dict[str, float] | None = None
    this_instance: ShadowCounts | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'task': ('task', ('str',)),
        'from_': ('from', ('datetime',)),
        'to': ('to', ('datetime',)),
        'champion': ('champion', ('int',)),
        'challenger': ('challenger', ('int',)),
        'canary_percent': ('canaryPercent', ('float',)),
        'shadowed': ('shadowed', ('int',)),
        'agreement': ('agreement', ('float',)),
        'mean_absolute_difference': ('meanAbsoluteDifference', ('float',)),
        'feedback_rows': ('feedbackRows', ('int',)),
        'champion_metrics': ('championMetrics', ('dict', ('float',))),
        'challenger_metrics': ('challengerMetrics', ('dict', ('float',))),
        'this_instance': ('thisInstance', ('model', 'ShadowCounts')),
    }
    _required: ClassVar[tuple] = ('project', 'task', 'from', 'to', 'champion', 'challenger', 'canaryPercent', 'shadowed', 'agreement', 'meanAbsoluteDifference', 'feedbackRows', 'championMetrics', 'challengerMetrics', 'thisInstance')


@dataclass(repr=False)
class ModelVersionInfo(Model):
    """A registered model version."""

    project: str | None = None
    version: int | None = None
    stage: ModelStage | None = None
    run_id: str | None = None
    trial_id: str | None = None
    trainer: str | None = None
    metrics: dict[str, float] | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    model_blob: str | None = None
    approved_by: str | None = None
    created_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'version': ('version', ('int',)),
        'stage': ('stage', ('str',)),
        'run_id': ('runId', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'trainer': ('trainer', ('str',)),
        'metrics': ('metrics', ('dict', ('float',))),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'model_blob': ('modelBlob', ('str',)),
        'approved_by': ('approvedBy', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('project', 'version', 'stage', 'runId', 'trialId', 'trainer', 'metrics', 'dataset', 'datasetVersion', 'modelBlob', 'approvedBy', 'createdAt')


@dataclass(repr=False)
class ModelsView(Model):
    """The registry of a project: what production serves, each environment, the aliases, the versions and the last 100 changes."""

    project: str | None = None
    production: int | None = None
    environments: dict[str, EnvironmentView] | None = None
    aliases: dict[str, int] | None = None
    versions: list[ModelVersionInfo] | None = None
    history: list[DeploymentChange] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'production': ('production', ('int',)),
        'environments': ('environments', ('dict', ('model', 'EnvironmentView'))),
        'aliases': ('aliases', ('dict', ('int',))),
        'versions': ('versions', ('list', ('model', 'ModelVersionInfo'))),
        'history': ('history', ('list', ('model', 'DeploymentChange'))),
    }
    _required: ClassVar[tuple] = ('project', 'production', 'environments', 'aliases', 'versions', 'history')
    _frame_of: ClassVar[str] = 'versions'


@dataclass(repr=False)
class MonitoringAlertView(Model):
    """A window that alerted."""

    report_id: str | None = None
    window_end: datetime | None = None
    alert_reason: str | None = None
    retrain_requested: bool | None = None
    _fields: ClassVar[dict] = {
        'report_id': ('reportId', ('str',)),
        'window_end': ('windowEnd', ('datetime',)),
        'alert_reason': ('alertReason', ('str',)),
        'retrain_requested': ('retrainRequested', ('any',)),
    }
    _required: ClassVar[tuple] = ('reportId', 'windowEnd', 'alertReason', 'retrainRequested')


@dataclass(repr=False)
class MonitoringReport(MonitoringReportFrames, Model):
    """A monitoring window's findings: drift of features and predictions, performance where feedback exists, the alert."""

    project: str | None = None
    report_id: str | None = None
    model_version: int | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    predictions: int | None = None
    drift: DriftReport | None = None
    performance: dict[str, float] | None = None
    feedback_rows: int | None = None
    kpi_breaches: list[str] | None = None
    alert: bool | None = None
    alert_reason: str | None = None
    retrain_requested: bool | None = None
    created_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'report_id': ('reportId', ('str',)),
        'model_version': ('modelVersion', ('int',)),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'window_start': ('windowStart', ('datetime',)),
        'window_end': ('windowEnd', ('datetime',)),
        'predictions': ('predictions', ('int',)),
        'drift': ('drift', ('model', 'DriftReport')),
        'performance': ('performance', ('dict', ('float',))),
        'feedback_rows': ('feedbackRows', ('int',)),
        'kpi_breaches': ('kpiBreaches', ('list', ('str',))),
        'alert': ('alert', ('any',)),
        'alert_reason': ('alertReason', ('str',)),
        'retrain_requested': ('retrainRequested', ('any',)),
        'created_at': ('createdAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('project', 'reportId', 'modelVersion', 'dataset', 'datasetVersion', 'windowStart', 'windowEnd', 'predictions', 'drift', 'performance', 'feedbackRows', 'kpiBreaches', 'alert', 'alertReason', 'retrainRequested', 'createdAt')


@dataclass(repr=False)
class MonitoringRunRequest(Model):
    """A monitoring window on demand: by default the project's window ending now."""

    window_start: datetime | None = None
    window_end: datetime | None = None
    _fields: ClassVar[dict] = {
        'window_start': ('windowStart', ('datetime',)),
        'window_end': ('windowEnd', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('windowStart', 'windowEnd')


@dataclass(repr=False)
class MonitoringSettings(Model):
    """Monitoring of the production model: every TimeSpan? MonitoringSettings.Interval, the logged predictions of the last
TimeSpan MonitoringSettings.Window are compared with the training data (drift per feature, prediction drift) and, where feedback
came back, scored against the KPIs. Dataset drift, prediction drift or a KPI breach is an alert: recorded, emailed
(to IReadOnlyList&lt;string&gt;? MonitoringSettings.AlertEmails, or the approvers), and with bool MonitoringSettings.RetrainOnDrift a retraining run on the newest
data (at most one per TimeSpan MonitoringSettings.Cooldown). Thresholds as in Azure ML / Evidently."""

    enabled: bool | None = None
    window: str | None = None
    interval: str | None = None
    retrain_on_drift: bool | None = None
    cooldown: str | None = None
    alert_emails: list[str] | None = None
    numeric_threshold: float | None = None
    categorical_threshold: float | None = None
    p_value: float | None = None
    dataset_drift_share: float | None = None
    effective_interval: str | None = None
    _fields: ClassVar[dict] = {
        'enabled': ('enabled', ('any',)),
        'window': ('window', ('str',)),
        'interval': ('interval', ('str',)),
        'retrain_on_drift': ('retrainOnDrift', ('any',)),
        'cooldown': ('cooldown', ('str',)),
        'alert_emails': ('alertEmails', ('list', ('str',))),
        'numeric_threshold': ('numericThreshold', ('float',)),
        'categorical_threshold': ('categoricalThreshold', ('float',)),
        'p_value': ('pValue', ('float',)),
        'dataset_drift_share': ('datasetDriftShare', ('float',)),
        'effective_interval': ('effectiveInterval', ('str',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class MonitoringSettingsView(Model):
    """The project's monitoring settings as they now apply."""

    project: str | None = None
    monitoring: MonitoringSettings | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'monitoring': ('monitoring', ('model', 'MonitoringSettings')),
    }
    _required: ClassVar[tuple] = ('project', 'monitoring')


@dataclass(repr=False)
class MonitoringView(MonitoringFrames, Model):
    """The monitoring windows from `from` to `to` as series ready to plot, one value per window in order (null
where a window has none): per-feature drift, prediction drift, performance; and the alerts."""

    project: str | None = None
    from_: datetime | None = None
    to: datetime | None = None
    windows: list[MonitoringWindowView] | None = None
    series: dict[str, list[FeatureDriftPoint]] | None = None
    prediction: list[PredictionDriftPoint] | None = None
    performance: list[dict[str, float]] | None = None
    alerts: list[MonitoringAlertView] | None = None
    histograms: dict[str, FeatureHistogramView] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'from_': ('from', ('datetime',)),
        'to': ('to', ('datetime',)),
        'windows': ('windows', ('list', ('model', 'MonitoringWindowView'))),
        'series': ('series', ('dict', ('list', ('model', 'FeatureDriftPoint')))),
        'prediction': ('prediction', ('list', ('model', 'PredictionDriftPoint'))),
        'performance': ('performance', ('list', ('dict', ('float',)))),
        'alerts': ('alerts', ('list', ('model', 'MonitoringAlertView'))),
        'histograms': ('histograms', ('dict', ('model', 'FeatureHistogramView'))),
    }
    _required: ClassVar[tuple] = ('project', 'from', 'to', 'windows', 'series', 'prediction', 'performance', 'alerts', 'histograms')


@dataclass(repr=False)
class MonitoringWindowView(Model):
    """One monitoring window: what it covered, its drift summary and its alert."""

    report_id: str | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    model_version: int | None = None
    predictions: int | None = None
    feedback_rows: int | None = None
    dataset_drift: bool | None = None
    drifted_share: float | None = None
    alert: bool | None = None
    alert_reason: str | None = None
    retrain_requested: bool | None = None
    _fields: ClassVar[dict] = {
        'report_id': ('reportId', ('str',)),
        'window_start': ('windowStart', ('datetime',)),
        'window_end': ('windowEnd', ('datetime',)),
        'model_version': ('modelVersion', ('int',)),
        'predictions': ('predictions', ('int',)),
        'feedback_rows': ('feedbackRows', ('int',)),
        'dataset_drift': ('datasetDrift', ('any',)),
        'drifted_share': ('driftedShare', ('float',)),
        'alert': ('alert', ('any',)),
        'alert_reason': ('alertReason', ('str',)),
        'retrain_requested': ('retrainRequested', ('any',)),
    }
    _required: ClassVar[tuple] = ('reportId', 'windowStart', 'windowEnd', 'modelVersion', 'predictions', 'feedbackRows', 'datasetDrift', 'driftedShare', 'alert', 'alertReason', 'retrainRequested')


@dataclass(repr=False)
class OnnxCheck(Model):
    """The check of an ONNX export: the model's smoke rows scored through ONNX Runtime against the ML.NET answers
recorded at training — the same predicted label (or a value within the tolerance) and every score within it.
Also what a caller needs to feed the file: its inputs (one `[n, 1]` tensor per model column, the label
not among them) and outputs."""

    passed: bool | None = None
    detail: str | None = None
    rows: int | None = None
    mismatches: int | None = None
    max_score_difference: float | None = None
    tolerance: float | None = None
    inputs: list[OnnxInput] | None = None
    comparisons: list[OnnxRowComparison] | None = None
    outputs: list[str] | None = None
    bytes: int | None = None
    sha256: str | None = None
    converter: str | None = None
    runtime: str | None = None
    checked_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'passed': ('passed', ('any',)),
        'detail': ('detail', ('str',)),
        'rows': ('rows', ('int',)),
        'mismatches': ('mismatches', ('int',)),
        'max_score_difference': ('maxScoreDifference', ('float',)),
        'tolerance': ('tolerance', ('float',)),
        'inputs': ('inputs', ('list', ('model', 'OnnxInput'))),
        'comparisons': ('comparisons', ('list', ('model', 'OnnxRowComparison'))),
        'outputs': ('outputs', ('list', ('str',))),
        'bytes': ('bytes', ('int',)),
        'sha256': ('sha256', ('str',)),
        'converter': ('converter', ('str',)),
        'runtime': ('runtime', ('str',)),
        'checked_at': ('checkedAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('passed', 'detail', 'rows', 'mismatches', 'maxScoreDifference', 'tolerance', 'inputs', 'comparisons', 'outputs', 'bytes', 'sha256', 'converter', 'runtime', 'checkedAt')


@dataclass(repr=False)
class OnnxExportView(Model):
    """A model version's ONNX export: the file to download and how it compared with the ML.NET model."""

    project: str | None = None
    version: int | None = None
    file_name: str | None = None
    check: OnnxCheck | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'version': ('version', ('int',)),
        'file_name': ('fileName', ('str',)),
        'check': ('check', ('model', 'OnnxCheck')),
    }
    _required: ClassVar[tuple] = ('project', 'version', 'fileName', 'check')


@dataclass(repr=False)
class OnnxInput(Model):
    """One input tensor of an exported model: its name, element type and the dataset column it is computed from."""

    name: str | None = None
    element_type: str | None = None
    source: str | None = None
    kind: str | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'element_type': ('elementType', ('str',)),
        'source': ('source', ('str',)),
        'kind': ('kind', ('str',)),
    }
    _required: ClassVar[tuple] = ('name', 'elementType', 'source', 'kind')


@dataclass(repr=False)
class OnnxRowComparison(Model):
    """How the exported model answered one smoke row next to ML.NET's answer recorded at training."""

    row: int | None = None
    ml_net: str | None = None
    onnx: str | None = None
    max_score_difference: float | None = None
    same: bool | None = None
    _fields: ClassVar[dict] = {
        'row': ('row', ('int',)),
        'ml_net': ('mlNet', ('str',)),
        'onnx': ('onnx', ('str',)),
        'max_score_difference': ('maxScoreDifference', ('float',)),
        'same': ('same', ('any',)),
    }
    _required: ClassVar[tuple] = ('row', 'mlNet', 'onnx', 'maxScoreDifference', 'same')


@dataclass(repr=False)
class ParameterRange(Model):
    """The values a hyperparameter may take: a list, or a range (log-uniform when bool ParameterRange.Log)."""

    values: list[float] | None = None
    min: float | None = None
    max: float | None = None
    log: bool | None = None
    _fields: ClassVar[dict] = {
        'values': ('values', ('list', ('float',))),
        'min': ('min', ('float',)),
        'max': ('max', ('float',)),
        'log': ('log', ('any',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class PredictRequest(Model):
    """Rows to score: each an object of feature name → value (string, number, boolean or null)."""

    rows: list[dict[str, Any]] | None = None
    _fields: ClassVar[dict] = {
        'rows': ('rows', ('list', ('any',))),
    }
    _required: ClassVar[tuple] = ('rows',)


@dataclass(repr=False)
class PredictionDriftPoint(Model):
    """The predictions' drift in one window."""

    score: float | None = None
    drifted: bool | None = None
    method: str | None = None
    _fields: ClassVar[dict] = {
        'score': ('score', ('float',)),
        'drifted': ('drifted', ('any',)),
        'method': ('method', ('str',)),
    }
    _required: ClassVar[tuple] = ('score', 'drifted', 'method')


@dataclass(repr=False)
class PredictionView(Model):
    """One prediction: its id (for feedback), the predicted label or value, and the score per class (classification)."""

    prediction_id: str | None = None
    value: float | None = None
    scores: dict[str, float] | None = None
    _fields: ClassVar[dict] = {
        'prediction_id': ('predictionId', ('str',)),
        'value': ('value', ('float',)),
        'scores': ('scores', ('dict', ('float',))),
    }
    _required: ClassVar[tuple] = ('predictionId', 'value', 'scores')


@dataclass(repr=False)
class PredictionsView(Model):
    """The predictions of the production model version, one per row in order; the fields of the rows the model does not
use, which were dropped (not scored, not logged), unless the model's features are hidden from the caller."""

    project: str | None = None
    model_version: int | None = None
    predictions: list[PredictionView] | None = None
    ignored_fields: list[str] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'model_version': ('modelVersion', ('int',)),
        'predictions': ('predictions', ('list', ('model', 'PredictionView'))),
        'ignored_fields': ('ignoredFields', ('list', ('str',))),
    }
    _required: ClassVar[tuple] = ('project', 'modelVersion', 'predictions')
    _frame_of: ClassVar[str] = 'predictions'


@dataclass(repr=False)
class ProblemDetails(Model):
    """ProblemDetails"""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None
    _fields: ClassVar[dict] = {
        'type': ('type', ('str',)),
        'title': ('title', ('str',)),
        'status': ('status', ('int',)),
        'detail': ('detail', ('str',)),
        'instance': ('instance', ('str',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class ProjectDefinition(Model):
    """What a data scientist declares about a project (`PUT /api/projects/{project}`)."""

    task: str | None = None
    label: str | None = None
    features: list[str] | None = None
    primary_metric: str | None = None
    kpis: list[Kpi] | None = None
    featurization: Featurization | None = None
    approvers: list[str] | None = None
    quorum: int | None = None
    remind_after: str | None = None
    escalate_after: str | None = None
    escalation_contacts: list[str] | None = None
    approval_timeout: str | None = None
    expire_after: str | None = None
    retrain_schedule: str | None = None
    candidates: list[CandidateSpec] | None = None
    search_space: SearchSpaceDefinition | None = None
    min_improvement: float | None = None
    time_budget: str | None = None
    stop_when: Kpi | None = None
    max_parallel_trials: int | None = None
    max_failed_trials: int | None = None
    cross_validation_folds: int | None = None
    evaluation: EvaluationSettings | None = None
    test_fraction: float | None = None
    seed: int | None = None
    retrain_when: str | None = None
    monitoring: MonitoringSettings | None = None
    four_eyes: bool | None = None
    deployment: DeploymentSettings | None = None
    batch_scoring: BatchScoringSchedule | None = None
    _fields: ClassVar[dict] = {
        'task': ('task', ('str',)),
        'label': ('label', ('str',)),
        'features': ('features', ('list', ('str',))),
        'primary_metric': ('primaryMetric', ('str',)),
        'kpis': ('kpis', ('list', ('model', 'Kpi'))),
        'featurization': ('featurization', ('model', 'Featurization')),
        'approvers': ('approvers', ('list', ('str',))),
        'quorum': ('quorum', ('int',)),
        'remind_after': ('remindAfter', ('str',)),
        'escalate_after': ('escalateAfter', ('str',)),
        'escalation_contacts': ('escalationContacts', ('list', ('str',))),
        'approval_timeout': ('approvalTimeout', ('str',)),
        'expire_after': ('expireAfter', ('str',)),
        'retrain_schedule': ('retrainSchedule', ('str',)),
        'candidates': ('candidates', ('list', ('model', 'CandidateSpec'))),
        'search_space': ('searchSpace', ('model', 'SearchSpaceDefinition')),
        'min_improvement': ('minImprovement', ('float',)),
        'time_budget': ('timeBudget', ('str',)),
        'stop_when': ('stopWhen', ('model', 'Kpi')),
        'max_parallel_trials': ('maxParallelTrials', ('int',)),
        'max_failed_trials': ('maxFailedTrials', ('int',)),
        'cross_validation_folds': ('crossValidationFolds', ('int',)),
        'evaluation': ('evaluation', ('model', 'EvaluationSettings')),
        'test_fraction': ('testFraction', ('float',)),
        'seed': ('seed', ('int',)),
        'retrain_when': ('retrainWhen', ('str',)),
        'monitoring': ('monitoring', ('model', 'MonitoringSettings')),
        'four_eyes': ('fourEyes', ('any',)),
        'deployment': ('deployment', ('model', 'DeploymentSettings')),
        'batch_scoring': ('batchScoring', ('model', 'BatchScoringSchedule')),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class ProjectListView(Model):
    """The projects the caller may read."""

    projects: list[ProjectSummaryView] | None = None
    _fields: ClassVar[dict] = {
        'projects': ('projects', ('list', ('model', 'ProjectSummaryView'))),
    }
    _required: ClassVar[tuple] = ('projects',)
    _frame_of: ClassVar[str] = 'projects'


@dataclass(repr=False)
class ProjectSummaryView(Model):
    """A project in a list: what it predicts and who approves it."""

    name: str | None = None
    task: str | None = None
    label: str | None = None
    primary_metric: str | None = None
    approvers: list[str] | None = None
    four_eyes: bool | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'task': ('task', ('str',)),
        'label': ('label', ('str',)),
        'primary_metric': ('primaryMetric', ('str',)),
        'approvers': ('approvers', ('list', ('str',))),
        'four_eyes': ('fourEyes', ('any',)),
    }
    _required: ClassVar[tuple] = ('name', 'task', 'label', 'primaryMetric', 'approvers', 'fourEyes')


@dataclass(repr=False)
class ProjectView(Model):
    """A project definition as the API answers it: what was defined, with the defaults that apply filled in."""

    name: str | None = None
    task: str | None = None
    label: str | None = None
    features: list[str] | None = None
    featurization: Featurization | None = None
    primary_metric: str | None = None
    kpis: list[Kpi] | None = None
    approvers: list[str] | None = None
    quorum: int | None = None
    remind_after: str | None = None
    escalate_after: str | None = None
    escalation_contacts: list[str] | None = None
    approval_timeout: str | None = None
    retrain_schedule: str | None = None
    candidates: list[CandidateSpec] | None = None
    search_space: SearchSpaceDefinition | None = None
    max_parallel_trials: int | None = None
    max_failed_trials: int | None = None
    time_budget: str | None = None
    stop_when: Kpi | None = None
    min_improvement: float | None = None
    cross_validation_folds: int | None = None
    test_fraction: float | None = None
    seed: int | None = None
    retrain_when: str | None = None
    monitoring: MonitoringSettings | None = None
    four_eyes: bool | None = None
    evaluation: EvaluationSettings | None = None
    batch_scoring: BatchScoringSchedule | None = None
    deployment: DeploymentSettings | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'task': ('task', ('str',)),
        'label': ('label', ('str',)),
        'features': ('features', ('list', ('str',))),
        'featurization': ('featurization', ('model', 'Featurization')),
        'primary_metric': ('primaryMetric', ('str',)),
        'kpis': ('kpis', ('list', ('model', 'Kpi'))),
        'approvers': ('approvers', ('list', ('str',))),
        'quorum': ('quorum', ('int',)),
        'remind_after': ('remindAfter', ('str',)),
        'escalate_after': ('escalateAfter', ('str',)),
        'escalation_contacts': ('escalationContacts', ('list', ('str',))),
        'approval_timeout': ('approvalTimeout', ('str',)),
        'retrain_schedule': ('retrainSchedule', ('str',)),
        'candidates': ('candidates', ('list', ('model', 'CandidateSpec'))),
        'search_space': ('searchSpace', ('model', 'SearchSpaceDefinition')),
        'max_parallel_trials': ('maxParallelTrials', ('int',)),
        'max_failed_trials': ('maxFailedTrials', ('int',)),
        'time_budget': ('timeBudget', ('str',)),
        'stop_when': ('stopWhen', ('model', 'Kpi')),
        'min_improvement': ('minImprovement', ('float',)),
        'cross_validation_folds': ('crossValidationFolds', ('int',)),
        'test_fraction': ('testFraction', ('float',)),
        'seed': ('seed', ('int',)),
        'retrain_when': ('retrainWhen', ('str',)),
        'monitoring': ('monitoring', ('model', 'MonitoringSettings')),
        'four_eyes': ('fourEyes', ('any',)),
        'evaluation': ('evaluation', ('model', 'EvaluationSettings')),
        'batch_scoring': ('batchScoring', ('model', 'BatchScoringSchedule')),
        'deployment': ('deployment', ('model', 'DeploymentSettings')),
    }
    _required: ClassVar[tuple] = ('name', 'task', 'label', 'features', 'featurization', 'primaryMetric', 'kpis', 'approvers', 'quorum', 'remindAfter', 'escalateAfter', 'escalationContacts', 'approvalTimeout', 'retrainSchedule', 'candidates', 'searchSpace', 'maxParallelTrials', 'maxFailedTrials', 'timeBudget', 'stopWhen', 'minImprovement', 'crossValidationFolds', 'testFraction', 'seed', 'retrainWhen', 'monitoring', 'fourEyes', 'evaluation')


@dataclass(repr=False)
class PromotionView(Model):
    """A promotion: done (200, with the change and the smoke test), or still running (202, with its status and the
promotion orchestration's id). Each answer has only its own fields."""

    project: str | None = None
    version: int | None = None
    environment: str | None = None
    change: DeploymentChange | None = None
    smoke_test: SmokeTestResult | None = None
    status: str | None = None
    promotion_id: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'version': ('version', ('int',)),
        'environment': ('environment', ('str',)),
        'change': ('change', ('model', 'DeploymentChange')),
        'smoke_test': ('smokeTest', ('model', 'SmokeTestResult')),
        'status': ('status', ('str',)),
        'promotion_id': ('promotionId', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'version', 'environment')


@dataclass(repr=False)
class QuarantinedRow(Model):
    """A rejected input row and why (one entry per failed check; a row may have several)."""

    row: int | None = None
    column: str | None = None
    reason: str | None = None
    _fields: ClassVar[dict] = {
        'row': ('row', ('int',)),
        'column': ('column', ('str',)),
        'reason': ('reason', ('str',)),
    }
    _required: ClassVar[tuple] = ('row', 'column', 'reason')


@dataclass(repr=False)
class ReadinessCheckView(Model):
    """One readiness check: its name, `Healthy`, `Degraded` or `Unhealthy`, and what it found."""

    name: str | None = None
    status: str | None = None
    description: str | None = None
    _fields: ClassVar[dict] = {
        'name': ('name', ('str',)),
        'status': ('status', ('str',)),
        'description': ('description', ('str',)),
    }
    _required: ClassVar[tuple] = ('name', 'status', 'description')


@dataclass(repr=False)
class ReadinessView(Model):
    """The answer of the readiness route: overall, and each check with what it found."""

    status: str | None = None
    checks: list[ReadinessCheckView] | None = None
    _fields: ClassVar[dict] = {
        'status': ('status', ('str',)),
        'checks': ('checks', ('list', ('model', 'ReadinessCheckView'))),
    }
    _required: ClassVar[tuple] = ('status', 'checks')


@dataclass(repr=False)
class RerunRequest(Model):
    """A new attempt of an ended run, optionally on another dataset version, with other candidates or another search space."""

    version: int | None = None
    candidates: list[CandidateSpec] | None = None
    search_space: SearchSpaceDefinition | None = None
    _fields: ClassVar[dict] = {
        'version': ('version', ('int',)),
        'candidates': ('candidates', ('list', ('model', 'CandidateSpec'))),
        'search_space': ('searchSpace', ('model', 'SearchSpaceDefinition')),
    }
    _required: ClassVar[tuple] = ('version', 'candidates', 'searchSpace')


@dataclass(repr=False)
class RerunStartedView(Model):
    """A re-run that was started: where to follow it, the run it re-runs, its attempt number and dataset version."""

    run_id: str | None = None
    status_url: str | None = None
    previous_run_id: str | None = None
    attempt: int | None = None
    dataset_version: int | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'status_url': ('statusUrl', ('str',)),
        'previous_run_id': ('previousRunId', ('str',)),
        'attempt': ('attempt', ('int',)),
        'dataset_version': ('datasetVersion', ('int',)),
    }
    _required: ClassVar[tuple] = ('runId', 'statusUrl', 'previousRunId', 'attempt', 'datasetVersion')


@dataclass(repr=False)
class ResendView(Model):
    """Fresh links were sent: to whom, and the request as it is now."""

    message: str | None = None
    approval: ApprovalView | None = None
    _fields: ClassVar[dict] = {
        'message': ('message', ('str',)),
        'approval': ('approval', ('model', 'ApprovalView')),
    }
    _required: ClassVar[tuple] = ('message', 'approval')


@dataclass(repr=False)
class RollbackView(Model):
    """A rollback: done (200, with the change that switched the environment back), or still running (202, with its status
and the rollback orchestration's id). Each answer has only its own fields."""

    project: str | None = None
    environment: str | None = None
    change: DeploymentChange | None = None
    status: str | None = None
    rollback_id: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'environment': ('environment', ('str',)),
        'change': ('change', ('model', 'DeploymentChange')),
        'status': ('status', ('str',)),
        'rollback_id': ('rollbackId', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'environment')


@dataclass(repr=False)
class RowCountsView(Model):
    """The curated rows of the baseline and the current version."""

    baseline: int | None = None
    current: int | None = None
    _fields: ClassVar[dict] = {
        'baseline': ('baseline', ('int',)),
        'current': ('current', ('int',)),
    }
    _required: ClassVar[tuple] = ('baseline', 'current')


@dataclass(repr=False)
class RuleResult(Model):
    """A dataset-level rule and whether the version passed it."""

    rule: str | None = None
    passed: bool | None = None
    detail: str | None = None
    _fields: ClassVar[dict] = {
        'rule': ('rule', ('str',)),
        'passed': ('passed', ('any',)),
        'detail': ('detail', ('str',)),
    }
    _required: ClassVar[tuple] = ('rule', 'passed', 'detail')


@dataclass(repr=False)
class RunAttemptView(Model):
    """One attempt in a run's history (the run itself and the runs it re-ran)."""

    run_id: str | None = None
    attempt: int | None = None
    status: RunStatus | None = None
    dataset_version: int | None = None
    error: str | None = None
    created_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'attempt': ('attempt', ('int',)),
        'status': ('status', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'error': ('error', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('runId', 'attempt', 'status', 'datasetVersion', 'error', 'createdAt')


@dataclass(repr=False)
class RunInfo(Model):
    """A lifecycle run as the runs table holds it."""

    run_id: str | None = None
    project: str | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    stage: RunStage | None = None
    status: RunStatus | None = None
    trials_total: int | None = None
    best_trial_id: str | None = None
    approval_id: str | None = None
    model_version: int | None = None
    error: str | None = None
    requested_by: str | None = None
    trigger: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    previous_run_id: str | None = None
    attempt: int | None = None
    candidates: list[CandidateSpec] | None = None
    champion: ChampionComparison | None = None
    sweep_note: str | None = None
    search_space: SearchSpaceDefinition | None = None
    training_rows: TrainingRows | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'stage': ('stage', ('str',)),
        'status': ('status', ('str',)),
        'trials_total': ('trialsTotal', ('int',)),
        'best_trial_id': ('bestTrialId', ('str',)),
        'approval_id': ('approvalId', ('str',)),
        'model_version': ('modelVersion', ('int',)),
        'error': ('error', ('str',)),
        'requested_by': ('requestedBy', ('str',)),
        'trigger': ('trigger', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'updated_at': ('updatedAt', ('datetime',)),
        'previous_run_id': ('previousRunId', ('str',)),
        'attempt': ('attempt', ('int',)),
        'candidates': ('candidates', ('list', ('model', 'CandidateSpec'))),
        'champion': ('champion', ('model', 'ChampionComparison')),
        'sweep_note': ('sweepNote', ('str',)),
        'search_space': ('searchSpace', ('model', 'SearchSpaceDefinition')),
        'training_rows': ('trainingRows', ('model', 'TrainingRows')),
    }
    _required: ClassVar[tuple] = ('runId', 'project', 'dataset', 'datasetVersion', 'stage', 'status', 'trialsTotal', 'bestTrialId', 'approvalId', 'modelVersion', 'error', 'requestedBy', 'trigger', 'createdAt', 'updatedAt')


@dataclass(repr=False)
class RunProgressView(Model):
    """How far the sweep is."""

    trials_completed: int | None = None
    trials_total: int | None = None
    _fields: ClassVar[dict] = {
        'trials_completed': ('trialsCompleted', ('int',)),
        'trials_total': ('trialsTotal', ('int',)),
    }
    _required: ClassVar[tuple] = ('trialsCompleted', 'trialsTotal')


@dataclass(repr=False)
class RunStartedView(Model):
    """A run that was started: where to follow it, and the dataset version it trains on."""

    run_id: str | None = None
    status_url: str | None = None
    dataset_version: int | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'status_url': ('statusUrl', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
    }
    _required: ClassVar[tuple] = ('runId', 'statusUrl', 'datasetVersion')


@dataclass(repr=False)
class RunUsageView(Model):
    """A run that trained on a dataset version."""

    run_id: str | None = None
    status: RunStatus | None = None
    model_version: int | None = None
    created_at: datetime | None = None
    url: str | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'status': ('status', ('str',)),
        'model_version': ('modelVersion', ('int',)),
        'created_at': ('createdAt', ('datetime',)),
        'url': ('url', ('str',)),
    }
    _required: ClassVar[tuple] = ('runId', 'status', 'modelVersion', 'createdAt', 'url')


@dataclass(repr=False)
class RunView(Model):
    """A run: where it is in the lifecycle, its progress, the leaderboard and best trial, its approval, the model version
it registered, its attempts newest first, and the rows it trains on (those with a label; how many were left out and why)."""

    run_id: str | None = None
    project: str | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    stage: RunStage | None = None
    status: RunStatus | None = None
    progress: RunProgressView | None = None
    trials: list[LeaderboardEntry] | None = None
    best: TrialResult | None = None
    approval: ApprovalView | None = None
    model_version: int | None = None
    error: str | None = None
    trigger: str | None = None
    requested_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    attempt: int | None = None
    previous_run_id: str | None = None
    attempts: list[RunAttemptView] | None = None
    champion: ChampionComparison | None = None
    sweep_note: str | None = None
    training_rows: TrainingRows | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'stage': ('stage', ('str',)),
        'status': ('status', ('str',)),
        'progress': ('progress', ('model', 'RunProgressView')),
        'trials': ('trials', ('list', ('model', 'LeaderboardEntry'))),
        'best': ('best', ('model', 'TrialResult')),
        'approval': ('approval', ('model', 'ApprovalView')),
        'model_version': ('modelVersion', ('int',)),
        'error': ('error', ('str',)),
        'trigger': ('trigger', ('str',)),
        'requested_by': ('requestedBy', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'updated_at': ('updatedAt', ('datetime',)),
        'attempt': ('attempt', ('int',)),
        'previous_run_id': ('previousRunId', ('str',)),
        'attempts': ('attempts', ('list', ('model', 'RunAttemptView'))),
        'champion': ('champion', ('model', 'ChampionComparison')),
        'sweep_note': ('sweepNote', ('str',)),
        'training_rows': ('trainingRows', ('model', 'TrainingRows')),
    }
    _required: ClassVar[tuple] = ('runId', 'project', 'dataset', 'datasetVersion', 'stage', 'status', 'progress', 'trials', 'best', 'approval', 'modelVersion', 'error', 'trigger', 'requestedBy', 'createdAt', 'updatedAt', 'attempt', 'previousRunId', 'attempts', 'champion', 'sweepNote', 'trainingRows')
    _frame_of: ClassVar[str] = 'trials'


@dataclass(repr=False)
class RunsView(Model):
    """A project's runs."""

    project: str | None = None
    runs: list[RunInfo] | None = None
    total: int | None = None
    offset: int | None = None
    limit: int | None = None
    next_offset: int | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'runs': ('runs', ('list', ('model', 'RunInfo'))),
        'total': ('total', ('int',)),
        'offset': ('offset', ('int',)),
        'limit': ('limit', ('int',)),
        'next_offset': ('nextOffset', ('int',)),
    }
    _required: ClassVar[tuple] = ('project', 'runs', 'total', 'offset', 'limit', 'nextOffset')
    _frame_of: ClassVar[str] = 'runs'


@dataclass(repr=False)
class SchemaChange(Model):
    """A difference between the schemas of two dataset versions."""

    column: str | None = None
    change: str | None = None
    before: str | None = None
    after: str | None = None
    _fields: ClassVar[dict] = {
        'column': ('column', ('str',)),
        'change': ('change', ('str',)),
        'before': ('before', ('str',)),
        'after': ('after', ('str',)),
    }
    _required: ClassVar[tuple] = ('column', 'change', 'before', 'after')


@dataclass(repr=False)
class SearchSpaceDefinition(Model):
    """How to search: `grid` (every combination of listed values), `random` (seeded samples),
            `halving` (successive halving: many random configs on a share of the training rows, the best 1/η go on with η× the rows)
            or `bayesian` (a few random start-up trials, then waves suggested by a tree-structured Parzen estimator from the results so far)."""

    strategy: str | None = None
    trainers: list[TrainerSpace] | None = None
    max_trials: int | None = None
    seed: int | None = None
    eta: float | None = None
    min_budget: float | None = None
    startup_trials: int | None = None
    _fields: ClassVar[dict] = {
        'strategy': ('strategy', ('str',)),
        'trainers': ('trainers', ('list', ('model', 'TrainerSpace'))),
        'max_trials': ('maxTrials', ('int',)),
        'seed': ('seed', ('int',)),
        'eta': ('eta', ('float',)),
        'min_budget': ('minBudget', ('float',)),
        'startup_trials': ('startupTrials', ('int',)),
    }
    _required: ClassVar[tuple] = ()


@dataclass(repr=False)
class ShadowCounts(Model):
    """What this process did with shadow traffic of a project since it started."""

    pending: int | None = None
    scored: int | None = None
    skipped: int | None = None
    failed: int | None = None
    _fields: ClassVar[dict] = {
        'pending': ('pending', ('int',)),
        'scored': ('scored', ('int',)),
        'skipped': ('skipped', ('int',)),
        'failed': ('failed', ('int',)),
    }
    _required: ClassVar[tuple] = ('pending', 'scored', 'skipped', 'failed')


@dataclass(repr=False)
class SliceMetrics(Model):
    """The task's metrics on the test rows whose Column holds Value (one slice of
`evaluation.sliceBy`), with how many test rows that is."""

    column: str | None = None
    value: str | None = None
    rows: int | None = None
    metrics: dict[str, float] | None = None
    _fields: ClassVar[dict] = {
        'column': ('column', ('str',)),
        'value': ('value', ('str',)),
        'rows': ('rows', ('int',)),
        'metrics': ('metrics', ('dict', ('float',))),
    }
    _required: ClassVar[tuple] = ('column', 'value', 'rows', 'metrics')


@dataclass(repr=False)
class SmokeTestResult(Model):
    """Outcome of a smoke test: the model loaded, answered, and matched what it predicted at training."""

    passed: bool | None = None
    detail: str | None = None
    rows: int | None = None
    mismatches: int | None = None
    load_milliseconds: float | None = None
    predict_milliseconds: float | None = None
    _fields: ClassVar[dict] = {
        'passed': ('passed', ('any',)),
        'detail': ('detail', ('str',)),
        'rows': ('rows', ('int',)),
        'mismatches': ('mismatches', ('int',)),
        'load_milliseconds': ('loadMilliseconds', ('float',)),
        'predict_milliseconds': ('predictMilliseconds', ('float',)),
    }
    _required: ClassVar[tuple] = ('passed', 'detail', 'rows', 'mismatches', 'loadMilliseconds', 'predictMilliseconds')


@dataclass(repr=False)
class StartRunRequest(Model):
    """Start a run on a dataset version (none: the newest ready one, else the newest still being ingested)."""

    dataset: str | None = None
    version: int | None = None
    _fields: ClassVar[dict] = {
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
    }
    _required: ClassVar[tuple] = ('dataset', 'version')


@dataclass(repr=False)
class TrainerSpace(Model):
    """One trainer and the ranges of its hyperparameters."""

    trainer: str | None = None
    parameters: dict[str, ParameterRange] | None = None
    _fields: ClassVar[dict] = {
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('model', 'ParameterRange'))),
    }
    _required: ClassVar[tuple] = ('trainer', 'parameters')


@dataclass(repr=False)
class TrainingRows(Model):
    """The rows of the dataset version a trial, a run or a model card learned from: those with a label. Rows without one
stay in the version but are left out of training, validation and test; Reason says so (null when
none were left out)."""

    labelled: int | None = None
    unlabelled: int | None = None
    reason: str | None = None
    _fields: ClassVar[dict] = {
        'labelled': ('labelled', ('int',)),
        'unlabelled': ('unlabelled', ('int',)),
        'reason': ('reason', ('str',)),
    }
    _required: ClassVar[tuple] = ('labelled', 'unlabelled', 'reason')


@dataclass(repr=False)
class TrialResult(Model):
    """Outcome of one trained candidate."""

    run_id: str | None = None
    trial_id: str | None = None
    trainer: str | None = None
    parameters: dict[str, float] | None = None
    status: TrialStatus | None = None
    metrics: dict[str, float] | None = None
    model_blob: str | None = None
    training_seconds: float | None = None
    error: str | None = None
    confusion_matrix: ConfusionMatrix | None = None
    rung: int | None = None
    budget: float | None = None
    model_bytes: int | None = None
    seed: int | None = None
    folds: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    training_rows: TrainingRows | None = None
    slices: list[SliceMetrics] | None = None
    _fields: ClassVar[dict] = {
        'run_id': ('runId', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('float',))),
        'status': ('status', ('str',)),
        'metrics': ('metrics', ('dict', ('float',))),
        'model_blob': ('modelBlob', ('str',)),
        'training_seconds': ('trainingSeconds', ('float',)),
        'error': ('error', ('str',)),
        'confusion_matrix': ('confusionMatrix', ('model', 'ConfusionMatrix')),
        'rung': ('rung', ('int',)),
        'budget': ('budget', ('float',)),
        'model_bytes': ('modelBytes', ('int',)),
        'seed': ('seed', ('int',)),
        'folds': ('folds', ('int',)),
        'started_at': ('startedAt', ('datetime',)),
        'ended_at': ('endedAt', ('datetime',)),
        'training_rows': ('trainingRows', ('model', 'TrainingRows')),
        'slices': ('slices', ('list', ('model', 'SliceMetrics'))),
    }
    _required: ClassVar[tuple] = ('runId', 'trialId', 'trainer', 'parameters', 'status', 'metrics', 'modelBlob', 'trainingSeconds', 'error')


@dataclass(repr=False)
class TrialView(Model):
    """One trial with its run's project and dataset, its confusion matrix and recall per class, where its model is stored,
the rows it learned from, and its metrics per slice of the test set (`evaluation.sliceBy`)."""

    id: str | None = None
    run_id: str | None = None
    trial_id: str | None = None
    project: str | None = None
    dataset: str | None = None
    dataset_version: int | None = None
    trainer: str | None = None
    parameters: dict[str, float] | None = None
    status: TrialStatus | None = None
    metrics: dict[str, float] | None = None
    confusion_matrix: ConfusionMatrix | None = None
    per_class_recall: dict[str, float] | None = None
    seed: int | None = None
    folds: int | None = None
    rung: int | None = None
    budget: float | None = None
    training_seconds: float | None = None
    model_bytes: int | None = None
    model_uri: str | None = None
    error: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    training_rows: TrainingRows | None = None
    slices: list[SliceMetrics] | None = None
    _fields: ClassVar[dict] = {
        'id': ('id', ('str',)),
        'run_id': ('runId', ('str',)),
        'trial_id': ('trialId', ('str',)),
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'dataset_version': ('datasetVersion', ('int',)),
        'trainer': ('trainer', ('str',)),
        'parameters': ('parameters', ('dict', ('float',))),
        'status': ('status', ('str',)),
        'metrics': ('metrics', ('dict', ('float',))),
        'confusion_matrix': ('confusionMatrix', ('model', 'ConfusionMatrix')),
        'per_class_recall': ('perClassRecall', ('dict', ('float',))),
        'seed': ('seed', ('int',)),
        'folds': ('folds', ('int',)),
        'rung': ('rung', ('int',)),
        'budget': ('budget', ('float',)),
        'training_seconds': ('trainingSeconds', ('float',)),
        'model_bytes': ('modelBytes', ('int',)),
        'model_uri': ('modelUri', ('str',)),
        'error': ('error', ('str',)),
        'started_at': ('startedAt', ('datetime',)),
        'ended_at': ('endedAt', ('datetime',)),
        'training_rows': ('trainingRows', ('model', 'TrainingRows')),
        'slices': ('slices', ('list', ('model', 'SliceMetrics'))),
    }
    _required: ClassVar[tuple] = ('id', 'runId', 'trialId', 'project', 'dataset', 'datasetVersion', 'trainer', 'parameters', 'status', 'metrics', 'confusionMatrix', 'perClassRecall', 'seed', 'folds', 'rung', 'budget', 'trainingSeconds', 'modelBytes', 'modelUri', 'error', 'startedAt', 'endedAt', 'trainingRows')


@dataclass(repr=False)
class UploadViewDatasetVersionView(Model):
    """A dataset version with its data-quality report and the runs that used it."""

    project: str | None = None
    dataset: str | None = None
    version: int | None = None
    status: str | None = None
    kind: str | None = None
    format: str | None = None
    content_type: str | None = None
    bytes: int | None = None
    content_hash: str | None = None
    file_name: str | None = None
    source: str | None = None
    ingested_by: str | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    rows_quarantined: int | None = None
    error: str | None = None
    problems: list[QuarantinedRow] | None = None
    raw_blob: str | None = None
    curated_blob: str | None = None
    created_at: datetime | None = None
    ready_at: datetime | None = None
    existing: bool | None = None
    report: DataQualityReport | None = None
    used_by: list[RunUsageView] | None = None
    quarantine_url: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'status': ('status', ('str',)),
        'kind': ('kind', ('str',)),
        'format': ('format', ('str',)),
        'content_type': ('contentType', ('str',)),
        'bytes': ('bytes', ('int',)),
        'content_hash': ('contentHash', ('str',)),
        'file_name': ('fileName', ('str',)),
        'source': ('source', ('str',)),
        'ingested_by': ('ingestedBy', ('str',)),
        'rows_in': ('rowsIn', ('int',)),
        'rows_out': ('rowsOut', ('int',)),
        'rows_quarantined': ('rowsQuarantined', ('int',)),
        'error': ('error', ('str',)),
        'problems': ('problems', ('list', ('model', 'QuarantinedRow'))),
        'raw_blob': ('rawBlob', ('str',)),
        'curated_blob': ('curatedBlob', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'ready_at': ('readyAt', ('datetime',)),
        'existing': ('existing', ('any',)),
        'report': ('report', ('model', 'DataQualityReport')),
        'used_by': ('usedBy', ('list', ('model', 'RunUsageView'))),
        'quarantine_url': ('quarantineUrl', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'version', 'status', 'kind', 'format', 'contentType', 'bytes', 'contentHash', 'fileName', 'source', 'ingestedBy', 'rowsIn', 'rowsOut', 'rowsQuarantined', 'error', 'problems', 'rawBlob', 'curatedBlob', 'createdAt', 'readyAt', 'existing', 'report', 'usedBy', 'quarantineUrl')


@dataclass(repr=False)
class UploadViewPendingUploadView(Model):
    """An upload whose ingestion is still running: where to follow it."""

    project: str | None = None
    dataset: str | None = None
    version: int | None = None
    status: str | None = None
    bytes: int | None = None
    content_hash: str | None = None
    source: str | None = None
    ingestion_id: str | None = None
    status_url: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'dataset': ('dataset', ('str',)),
        'version': ('version', ('int',)),
        'status': ('status', ('str',)),
        'bytes': ('bytes', ('int',)),
        'content_hash': ('contentHash', ('str',)),
        'source': ('source', ('str',)),
        'ingestion_id': ('ingestionId', ('str',)),
        'status_url': ('statusUrl', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'dataset', 'version', 'status', 'bytes', 'contentHash', 'source', 'ingestionId', 'statusUrl')


@dataclass(repr=False)
class ValueCount(Model):
    """A value of a column and how many rows have it."""

    value: str | None = None
    count: int | None = None
    _fields: ClassVar[dict] = {
        'value': ('value', ('str',)),
        'count': ('count', ('int',)),
    }
    _required: ClassVar[tuple] = ('value', 'count')


@dataclass(repr=False)
class VersionSummaryView(Model):
    """A version of a restricted dataset: its number, status and when it arrived."""

    version: int | None = None
    status: str | None = None
    created_at: datetime | None = None
    _fields: ClassVar[dict] = {
        'version': ('version', ('int',)),
        'status': ('status', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
    }
    _required: ClassVar[tuple] = ('version', 'status', 'createdAt')


@dataclass(repr=False)
class WebhookCreatedView(Model):
    """A subscription just created, with its secret: the one answer that shows it."""

    id: str | None = None
    project: str | None = None
    url: str | None = None
    events: list[str] | None = None
    secret: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    active: bool | None = None
    description: str | None = None
    deliveries_url: str | None = None
    _fields: ClassVar[dict] = {
        'id': ('id', ('str',)),
        'project': ('project', ('str',)),
        'url': ('url', ('str',)),
        'events': ('events', ('list', ('str',))),
        'secret': ('secret', ('str',)),
        'created_by': ('createdBy', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'active': ('active', ('any',)),
        'description': ('description', ('str',)),
        'deliveries_url': ('deliveriesUrl', ('str',)),
    }
    _required: ClassVar[tuple] = ('id', 'project', 'url', 'events', 'secret', 'createdBy', 'createdAt', 'active', 'description', 'deliveriesUrl')


@dataclass(repr=False)
class WebhookDeliveriesView(Model):
    """A subscription's deliveries, newest first, and those of them that are dead letters."""

    subscription_id: str | None = None
    project: str | None = None
    deliveries: list[WebhookDeliveryView] | None = None
    dead_letters: list[WebhookDeliveryView] | None = None
    _fields: ClassVar[dict] = {
        'subscription_id': ('subscriptionId', ('str',)),
        'project': ('project', ('str',)),
        'deliveries': ('deliveries', ('list', ('model', 'WebhookDeliveryView'))),
        'dead_letters': ('deadLetters', ('list', ('model', 'WebhookDeliveryView'))),
    }
    _required: ClassVar[tuple] = ('subscriptionId', 'project', 'deliveries', 'deadLetters')
    _frame_of: ClassVar[str] = 'deliveries'


@dataclass(repr=False)
class WebhookDeliveryView(Model):
    """One event's delivery to a subscription: where it stands, its attempts and last answer, and the envelope sent (as JSON)."""

    event_id: str | None = None
    event_type: str | None = None
    status: str | None = None
    attempts: int | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    dead_lettered_at: datetime | None = None
    event: Any | None = None
    _fields: ClassVar[dict] = {
        'event_id': ('eventId', ('str',)),
        'event_type': ('eventType', ('str',)),
        'status': ('status', ('str',)),
        'attempts': ('attempts', ('int',)),
        'last_status_code': ('lastStatusCode', ('int',)),
        'last_error': ('lastError', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'last_attempt_at': ('lastAttemptAt', ('datetime',)),
        'delivered_at': ('deliveredAt', ('datetime',)),
        'dead_lettered_at': ('deadLetteredAt', ('datetime',)),
        'event': ('event', ('any',)),
    }
    _required: ClassVar[tuple] = ('eventId', 'eventType', 'status', 'attempts', 'lastStatusCode', 'lastError', 'createdAt', 'lastAttemptAt', 'deliveredAt', 'deadLetteredAt', 'event')


@dataclass(repr=False)
class WebhookRequest(Model):
    """A subscription to create: the project, the URL to POST its events to, which events (none listed: all), the secret
to sign them with (generated when left out) and a description."""

    project: str | None = None
    url: str | None = None
    events: list[str] | None = None
    secret: str | None = None
    description: str | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'url': ('url', ('str',)),
        'events': ('events', ('list', ('str',))),
        'secret': ('secret', ('str',)),
        'description': ('description', ('str',)),
    }
    _required: ClassVar[tuple] = ('project', 'url', 'events', 'secret', 'description')


@dataclass(repr=False)
class WebhookView(Model):
    """A subscription, never with its secret: where its events go, which, who made it, whether it is still active, and where its deliveries are."""

    id: str | None = None
    project: str | None = None
    url: str | None = None
    events: list[str] | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    active: bool | None = None
    description: str | None = None
    deleted_at: datetime | None = None
    deliveries_url: str | None = None
    _fields: ClassVar[dict] = {
        'id': ('id', ('str',)),
        'project': ('project', ('str',)),
        'url': ('url', ('str',)),
        'events': ('events', ('list', ('str',))),
        'created_by': ('createdBy', ('str',)),
        'created_at': ('createdAt', ('datetime',)),
        'active': ('active', ('any',)),
        'description': ('description', ('str',)),
        'deleted_at': ('deletedAt', ('datetime',)),
        'deliveries_url': ('deliveriesUrl', ('str',)),
    }
    _required: ClassVar[tuple] = ('id', 'project', 'url', 'events', 'createdBy', 'createdAt', 'active', 'description', 'deletedAt', 'deliveriesUrl')


@dataclass(repr=False)
class WebhooksView(Model):
    """The subscriptions the caller may operate, of one project when the query names it (else null)."""

    project: str | None = None
    webhooks: list[WebhookView] | None = None
    _fields: ClassVar[dict] = {
        'project': ('project', ('str',)),
        'webhooks': ('webhooks', ('list', ('model', 'WebhookView'))),
    }
    _required: ClassVar[tuple] = ('project', 'webhooks')
    _frame_of: ClassVar[str] = 'webhooks'


DatasetEntryView = Union[DatasetEntryViewDatasetDetailView, DatasetEntryViewRestrictedDatasetView]

UploadView = Union[UploadViewDatasetVersionView, UploadViewPendingUploadView]

UNIONS: dict[str, tuple[type, ...]] = {
    'DatasetEntryView': (DatasetEntryViewDatasetDetailView, DatasetEntryViewRestrictedDatasetView,),
    'UploadView': (UploadViewDatasetVersionView, UploadViewPendingUploadView,),
}

MODELS: dict[str, type] = {
    'ApprovalView': ApprovalView,
    'ApprovalsView': ApprovalsView,
    'ApproverDecision': ApproverDecision,
    'AuditEntry': AuditEntry,
    'AuditView': AuditView,
    'BatchPartResult': BatchPartResult,
    'BatchRequest': BatchRequest,
    'BatchScoringSchedule': BatchScoringSchedule,
    'BatchView': BatchView,
    'CancelRequest': CancelRequest,
    'CandidateSpec': CandidateSpec,
    'CatalogEntryView': CatalogEntryView,
    'CatalogFindView': CatalogFindView,
    'CatalogSearchView': CatalogSearchView,
    'ChampionComparison': ChampionComparison,
    'CleaningCounts': CleaningCounts,
    'ColumnExpectation': ColumnExpectation,
    'ColumnProfile': ColumnProfile,
    'ColumnSchema': ColumnSchema,
    'ColumnShift': ColumnShift,
    'ConfusionMatrix': ConfusionMatrix,
    'DataQualityReport': DataQualityReport,
    'DatasetDiffView': DatasetDiffView,
    'DatasetEntryViewDatasetDetailView': DatasetEntryViewDatasetDetailView,
    'DatasetEntryViewRestrictedDatasetView': DatasetEntryViewRestrictedDatasetView,
    'DatasetExpectations': DatasetExpectations,
    'DatasetInfo': DatasetInfo,
    'DatasetPatch': DatasetPatch,
    'DatasetSchema': DatasetSchema,
    'DatasetVersionInfo': DatasetVersionInfo,
    'DatasetVersionView': DatasetVersionView,
    'DecisionRequest': DecisionRequest,
    'DecisionView': DecisionView,
    'DeploymentChange': DeploymentChange,
    'DeploymentRequest': DeploymentRequest,
    'DeploymentSettings': DeploymentSettings,
    'DevelopmentTokenRequest': DevelopmentTokenRequest,
    'DevelopmentTokenView': DevelopmentTokenView,
    'DriftReport': DriftReport,
    'EnvironmentView': EnvironmentView,
    'EvaluationSettings': EvaluationSettings,
    'FeatureDrift': FeatureDrift,
    'FeatureDriftPoint': FeatureDriftPoint,
    'FeatureHistogram': FeatureHistogram,
    'FeatureHistogramView': FeatureHistogramView,
    'FeatureImportance': FeatureImportance,
    'Featurization': Featurization,
    'FeedbackItem': FeedbackItem,
    'FeedbackView': FeedbackView,
    'GrantAddedView': GrantAddedView,
    'GrantRequest': GrantRequest,
    'GrantView': GrantView,
    'GrantsView': GrantsView,
    'HealthView': HealthView,
    'Histogram': Histogram,
    'HistogramBin': HistogramBin,
    'HttpValidationProblemDetails': HttpValidationProblemDetails,
    'InputColumn': InputColumn,
    'Kpi': Kpi,
    'LandingRequest': LandingRequest,
    'LeaderboardEntry': LeaderboardEntry,
    'LeaderboardView': LeaderboardView,
    'LineageEdgeView': LineageEdgeView,
    'LineageNode': LineageNode,
    'LineageNodeView': LineageNodeView,
    'LineageView': LineageView,
    'MeView': MeView,
    'ModelCard': ModelCard,
    'ModelComparisonView': ModelComparisonView,
    'ModelVersionInfo': ModelVersionInfo,
    'ModelsView': ModelsView,
    'MonitoringAlertView': MonitoringAlertView,
    'MonitoringReport': MonitoringReport,
    'MonitoringRunRequest': MonitoringRunRequest,
    'MonitoringSettings': MonitoringSettings,
    'MonitoringSettingsView': MonitoringSettingsView,
    'MonitoringView': MonitoringView,
    'MonitoringWindowView': MonitoringWindowView,
    'OnnxCheck': OnnxCheck,
    'OnnxExportView': OnnxExportView,
    'OnnxInput': OnnxInput,
    'OnnxRowComparison': OnnxRowComparison,
    'ParameterRange': ParameterRange,
    'PredictRequest': PredictRequest,
    'PredictionDriftPoint': PredictionDriftPoint,
    'PredictionView': PredictionView,
    'PredictionsView': PredictionsView,
    'ProblemDetails': ProblemDetails,
    'ProjectDefinition': ProjectDefinition,
    'ProjectListView': ProjectListView,
    'ProjectSummaryView': ProjectSummaryView,
    'ProjectView': ProjectView,
    'PromotionView': PromotionView,
    'QuarantinedRow': QuarantinedRow,
    'ReadinessCheckView': ReadinessCheckView,
    'ReadinessView': ReadinessView,
    'RerunRequest': RerunRequest,
    'RerunStartedView': RerunStartedView,
    'ResendView': ResendView,
    'RollbackView': RollbackView,
    'RowCountsView': RowCountsView,
    'RuleResult': RuleResult,
    'RunAttemptView': RunAttemptView,
    'RunInfo': RunInfo,
    'RunProgressView': RunProgressView,
    'RunStartedView': RunStartedView,
    'RunUsageView': RunUsageView,
    'RunView': RunView,
    'RunsView': RunsView,
    'SchemaChange': SchemaChange,
    'SearchSpaceDefinition': SearchSpaceDefinition,
    'ShadowCounts': ShadowCounts,
    'SliceMetrics': SliceMetrics,
    'SmokeTestResult': SmokeTestResult,
    'StartRunRequest': StartRunRequest,
    'TrainerSpace': TrainerSpace,
    'TrainingRows': TrainingRows,
    'TrialResult': TrialResult,
    'TrialView': TrialView,
    'UploadViewDatasetVersionView': UploadViewDatasetVersionView,
    'UploadViewPendingUploadView': UploadViewPendingUploadView,
    'ValueCount': ValueCount,
    'VersionSummaryView': VersionSummaryView,
    'WebhookCreatedView': WebhookCreatedView,
    'WebhookDeliveriesView': WebhookDeliveriesView,
    'WebhookDeliveryView': WebhookDeliveryView,
    'WebhookRequest': WebhookRequest,
    'WebhookView': WebhookView,
    'WebhooksView': WebhooksView,
}
