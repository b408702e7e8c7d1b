using System.Diagnostics;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.DataLake;

public sealed partial class DatasetIngestion
{
    /// <summary>
    /// Merges the chunk reports into the version's data-quality report, applies the dataset rules (rejected share,
    /// rows left, empty columns, null shares) and publishes the version (schema, catalog entry, Ready), or fails it
    /// with the reason and removes its curated parts (nothing half-done is left in curated; raw and quarantine stay).
    /// </summary>
    public async Task<IngestionOutput> FinishAsync(FinishIngestionInput input, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var version = await RequireVersionAsync(input.Project, input.Dataset, input.Version, ct);
        if (version.Status != DatasetStatus.Pending) return Recorded(version);
        var path = (string file) => VersionPath(input.Project, input.Dataset, input.Version, file);
        var plan = await ReadJsonAsync<IngestionPlan>(StorageNames.ReportsContainer, path(PlanFile), ct);
        var chunks = new List<ChunkReport>();
        for (var chunk = 0; chunk < input.Chunks; chunk++)
            chunks.Add(await ReadJsonAsync<ChunkReport>(StorageNames.ReportsContainer, path($"chunks/{PartName(chunk, "json")}"), ct));

        var columns = plan.Columns;
        var stats = columns.Select((_, c) => chunks.Select(r => r.Stats[c]).Aggregate((a, b) => ColumnStatsBuilder.Merge(a, b))).ToList();
        var profiles = stats.Select(ColumnProfiles.ToProfile).ToList();
        long rowsIn = chunks.Sum(r => r.RowsIn), rowsOut = chunks.Sum(r => r.RowsOut), quarantined = chunks.Sum(r => r.RowsQuarantined);
        var cleaning = new CleaningCounts(chunks.Sum(r => r.Cleaning.TrimmedCells), chunks.Sum(r => r.Cleaning.MissingTokens),
            chunks.Sum(r => r.Cleaning.CoercedCells), plan.DuplicateRows, chunks.Sum(r => r.Cleaning.DuplicatesRemoved), chunks.Sum(r => r.Cleaning.KeyViolations));
        var sample = chunks.SelectMany(r => r.Sample).Take(SampleSize).ToList();
        var schema = new DatasetSchema(columns.Select((name, c) => new ColumnSchema(name, plan.Types[c], stats[c].Nulls > 0, plan.Distinct[c])).ToList());

        // Dataset rules: each is reported; the first that fails fails the version.
        var rules = new List<RuleResult>();
        var considered = rowsIn - cleaning.DuplicatesRemoved;
        var limit = plan.Expectations.RejectedShareLimit;
        var share = considered == 0 ? 0 : (double)quarantined / considered;
        var first = sample.FirstOrDefault();
        rules.Add(new RuleResult("maxRejectedShare", share <= limit,
            $"{quarantined} of {considered} rows rejected ({share:P1}; limit {limit:P0})" + (first is null ? "" : $"; first: row {first.Row}, column '{first.Column}': {first.Reason}")));
        rules.Add(new RuleResult("rowsLeft", rowsOut > 0, $"{rowsOut} rows passed the checks"));
        for (var c = 0; c < columns.Count; c++)
        {
            var declared = plan.Expectations.For(columns[c])?.MaxNullShare;
            var nullShare = rowsOut == 0 ? 0 : (double)stats[c].Nulls / rowsOut;
            if (declared is { } max)
                rules.Add(new RuleResult($"maxNullShare({columns[c]})", nullShare <= max, $"column '{columns[c]}' is {nullShare:P1} empty (limit {max:P0})"));
            else if (rowsOut > 0 && stats[c].Nulls == rowsOut)
                rules.Add(new RuleResult($"notEmpty({columns[c]})", false, $"column '{columns[c]}' has no values in any row (declare maxNullShare: 1 for it to accept that)"));
        }
        if (LabelRule(plan.Label, columns, stats, rowsOut) is { } labelled) rules.Add(labelled);

        var report = new DataQualityReport(input.Project, input.Dataset, input.Version, version.Format, version.ContentHash ?? "",
            rowsIn, rowsOut, quarantined, schema, sample, clock.GetUtcNow(), profiles, cleaning, rules, plan.Expectations, input.Chunks,
            plan.PlanSeconds + chunks.Max(r => r.Seconds) + Stopwatch.GetElapsedTime(started).TotalSeconds);
        await WriteJsonAsync(StorageNames.ReportsContainer, path(ReportFile), report, ct);
        version = version with { RowsIn = rowsIn, RowsOut = rowsOut, RowsQuarantined = quarantined, ReportBlob = path(ReportFile) };

        if (rules.FirstOrDefault(r => !r.Passed) is { } broken)
        {
            foreach (var part in await CuratedPartsAsync(input.Project, input.Dataset, input.Version, ct))
                await lake.DeleteIfExistsAsync(StorageNames.CuratedContainer, part, ct);
            var problems = broken.Rule == "maxRejectedShare" ? sample.Take(20).ToList()
                : broken.Rule.StartsWith("notEmpty(", StringComparison.Ordinal) || broken.Rule.StartsWith("maxNullShare(", StringComparison.Ordinal)
                    ? [new QuarantinedRow(0, broken.Rule[(broken.Rule.IndexOf('(') + 1)..^1], broken.Detail)]
                    : sample.Take(20).ToList();
            return await FailAsync(version, $"The version breaks the rule {broken.Rule}: {broken.Detail}.", ct, problems);
        }

        await WriteJsonAsync(StorageNames.CuratedContainer, path(SchemaFile), schema, ct);
        var now = clock.GetUtcNow();
        await datasetStore.UpdateDatasetAsync(input.Project, input.Dataset, current => (current ?? NewCatalogEntry(input.Project, input.Dataset, DatasetKind.Tabular, now)) with
        {
            // The first good version teaches the dataset what to expect of the next ones (TFX SchemaGen-style).
            InferredExpectations = current?.InferredExpectations ?? InferExpectations(schema, stats),
            LatestVersion = Math.Max(current?.LatestVersion ?? 0, input.Version),
            Columns = input.Version >= (current?.LatestVersion ?? 0) ? columns.ToList() : current!.Columns,
            UpdatedAt = now,
        }, ct);
        var ready = version with { Status = DatasetStatus.Ready, CuratedBlob = path(""), ReadyAt = now };
        await webhooks.PublishAsync(WebhookEvent.DatasetVersionCreated(ready, now), ct); // before Ready: a retry of this step still announces it
        await DecideAsync(ready, ct);
        return Recorded(version with { Status = DatasetStatus.Ready });
    }

    /// <summary>
    /// How many curated rows carry the label: rows without one stay in the version (they are data, not defects) and
    /// training leaves them out, so the report says so. Never fails the version: a dataset that must have every label
    /// declares <c>notNull</c> for it.
    /// </summary>
    internal static RuleResult? LabelRule(string? label, IReadOnlyList<string> columns, IReadOnlyList<ColumnStats> stats, long rowsOut)
    {
        var index = label is null ? -1 : columns.ToList().IndexOf(label);
        if (index < 0 || rowsOut == 0) return null;
        var unlabelled = stats[index].Nulls;
        return new RuleResult($"labelled({label})", true, unlabelled == 0
            ? $"every curated row has the label '{label}'"
            : $"{rowsOut - unlabelled} of {rowsOut} curated rows have the label '{label}'; {unlabelled} ({(double)unlabelled / rowsOut:P1}) without it are kept: training leaves them out, batch scoring can score them");
    }

    /// <summary>A new catalog entry (no owner, description or tags until someone sets them).</summary>
    public static DatasetInfo NewCatalogEntry(string project, string dataset, string kind, DateTimeOffset now) =>
        new(project, dataset, null, null, [], null, null, null, [], kind, now, now);

    private static DatasetExpectations InferExpectations(DatasetSchema schema, List<ColumnStats> stats) =>
        new(schema.Columns.Select(c => c.Name).ToList(),
            schema.Columns.Select((c, i) => (c.Name, Expectation: new ColumnExpectation(Type: c.Type, NotNull: stats[i].Nulls == 0 ? true : null)))
                .ToDictionary(x => x.Name, x => x.Expectation, StringComparer.Ordinal));
}
