// One run, live while it runs (GET /api/runs/{id} every 2.5 s until it ends): stage, status, progress; tabs (in the
// URL) for the overview — timeline, approval, attempts —, the leaderboard with trial comparison, the hyperparameter
// charts and the model card. Actions (resend, cancel the approval, rerun) only for those allowed, each confirmed.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { ago, duration, when } from '../app/format.js';
import { href, navigate } from '../app/router.js';
import { session } from '../app/session.js';
import { shared } from '../styles/shared.js';
import type { ConfirmDialog } from '../components/confirm-dialog.js';
import { MetricsByTask, num } from '../components/project-metrics.js';
import '../components/confirm-dialog.js';
import '../components/problem-alert.js';
import '../components/run-leaderboard.js';
import '../components/run-model-card.js';
import '../components/run-parallel.js';
import '../components/run-timeline.js';
import '../components/status-badge.js';

type Run = Schemas['RunView'];
const Live: Schemas['RunStatus'][] = ['Running', 'AwaitingApproval'];
const ChartCap = 500;
const Tabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'leaderboard', label: 'Leaderboard' },
  { id: 'parameters', label: 'Hyperparameters' },
  { id: 'card', label: 'Model card' },
];
const Stages: Schemas['RunStage'][] = ['DataEngineering', 'DataScience', 'Approval', 'Deployment', 'Done'];

@customElement('run-page')
export class RunPage extends LitElement {
  static styles = [shared, css`
    .stages { display: flex; gap: 0.3rem; list-style: none; padding: 0; margin: 0.6rem 0; flex-wrap: wrap; }
    .stages li { padding: 0.2rem 0.6rem; border: 1px solid var(--o-border); border-radius: 999px; font-size: 0.9rem; background: var(--o-surface); }
    .stages li[aria-current='step'] { border-color: var(--o-accent); color: var(--o-accent); font-weight: 600; }
    .stages li.done { color: var(--o-ok); }
    progress { width: min(28rem, 100%); height: 1rem; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.6rem 0; }
    .message { color: var(--o-ok); }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private actionError: unknown = null;
  @state() private message = '';
  @state() private busy = false;
  @query('confirm-dialog') private dialog!: ConfirmDialog;

  private get runId() { return this.params.runId ?? ''; }

  private run = new Loader<Run>(this, async signal => {
    // The leaderboard is paged from /trials; the poll reads only the run.
    const run = await get<Run>(href('/api/runs', this.runId), { trials: 'false' }, signal);
    if (!Live.includes(run.status)) this.run.stopPolling();
    return run;
  });
  private project = new Loader(this, signal => get<Schemas['ProjectView']>(href('/api/projects', this.run.value?.project ?? ''), undefined, signal));
  private timelineTrials = new Loader(this, signal => get<Schemas['LeaderboardView']>(href('/api/runs', this.runId) + '/trials', { limit: ChartCap }, signal));
  private lastRevision = '';

  connectedCallback() {
    super.connectedCallback();
    void this.run.load().then(run => {
      if (run) void this.project.load();
      if (run && Live.includes(run.status)) this.run.poll(2500);
    });
  }

  private get revision(): string {
    const r = this.run.value;
    return r ? `${r.status}:${r.stage}:${r.progress.trialsCompleted}:${r.approval?.status ?? ''}:${r.approval?.decisions.length ?? 0}` : '';
  }

  willUpdate() {
    const revision = this.revision;
    if (revision && revision !== this.lastRevision) {
      this.lastRevision = revision;
      void this.timelineTrials.load({ quiet: this.timelineTrials.value !== undefined });
    }
  }

  render() {
    const run = this.run.value;
    if (!run) return html`<h1>Run <code>${this.runId}</code></h1>
      ${this.run.error ? html`<problem-alert .error=${this.run.error}></problem-alert>` : html`<p class="muted">Loading…</p>`}`;
    const tab = Tabs.some(t => t.id === this.query.get('tab')) ? this.query.get('tab')! : 'overview';
    const completed = num(run.progress.trialsCompleted) ?? 0;
    const total = num(run.progress.trialsTotal) ?? 0;
    const stageIndex = Stages.indexOf(run.stage);
    return html`<p><a href="/projects">Projects</a> › <a href=${href('/projects', run.project)}>${run.project}</a> ›</p>
      <h1>Run <code>${run.runId}</code></h1>
      <div class="row" role="status" aria-live="polite">
        <status-badge status=${run.status}></status-badge>
        <span>Stage: <strong>${run.stage.replace(/([a-z])([A-Z])/g, '$1 $2')}</strong></span>
        <span class="muted">${run.dataset}${run.datasetVersion !== null ? ` v${run.datasetVersion}` : ''} · ${run.trigger} · started by ${run.requestedBy ?? '—'} ${ago(run.createdAt)}${num(run.attempt) !== 1 ? ` · attempt ${run.attempt}` : ''}</span>
      </div>
      <ol class="stages" aria-label="Stages">${Stages.map((s, i) => html`<li class=${i < stageIndex || run.stage === 'Done' ? 'done' : ''}
        aria-current=${i === stageIndex ? 'step' : nothing}>${i < stageIndex || run.stage === 'Done' ? '✓ ' : ''}${s.replace(/([a-z])([A-Z])/g, '$1 $2')}</li>`)}</ol>
      <p><label class="inline" for="trials-progress">Trials ${completed} of ${total || '?'}</label>
        <progress id="trials-progress" max=${Math.max(total, 1)} .value=${completed}></progress></p>
      ${run.sweepNote ? html`<p class="muted">${run.sweepNote}</p>` : nothing}
      ${run.trainingRows?.reason ? html`<p class="muted">${run.trainingRows.reason}</p>` : nothing}
      ${run.error ? html`<problem-alert .error=${new Error(run.error)}></problem-alert>` : nothing}
      ${this.renderActions(run)}
      <nav class="tabs" aria-label="Run sections">${Tabs.map(t => html`<a href=${this.tabHref(t.id)} aria-current=${t.id === tab ? 'page' : nothing}>${t.label}</a>`)}</nav>
      ${tab === 'overview' ? this.renderOverview(run) : nothing}
      ${tab === 'leaderboard' ? this.renderLeaderboard(run) : nothing}
      ${tab === 'parameters' ? html`<h2>Hyperparameters against ${this.primaryMetric}</h2>
        <run-parallel .runId=${run.runId} .primaryMetric=${this.primaryMetric} .cap=${ChartCap} .revision=${this.revision}></run-parallel>` : nothing}
      ${tab === 'card' ? html`<h2>Model card</h2><run-model-card .runId=${run.runId} .revision=${this.revision}></run-model-card>` : nothing}
      <confirm-dialog></confirm-dialog>`;
  }

  private get primaryMetric(): string {
    return this.project.value?.primaryMetric ?? Object.keys(this.run.value?.best?.metrics ?? {})[0] ?? '';
  }

  private tabHref(tab: string): string {
    const q = new URLSearchParams();
    if (tab !== 'overview') q.set('tab', tab);
    const text = q.toString();
    return location.pathname + (text ? `?${text}` : '');
  }

  private renderLeaderboard(run: Run) {
    const project = this.project.value;
    const metrics = MetricsByTask[project?.task ?? ''] ?? Object.keys(run.best?.metrics ?? {});
    return html`<h2>Leaderboard</h2>
      <run-leaderboard .runId=${run.runId} .primaryMetric=${this.primaryMetric} .metrics=${metrics} .kpis=${project?.kpis ?? []}
        .sort=${this.query.get('sort') ?? ''} .offset=${Number(this.query.get('offset') ?? 0) || 0} .revision=${this.revision}></run-leaderboard>`;
  }

  private renderOverview(run: Run) {
    const trials = this.timelineTrials.value;
    const approval = run.approval;
    const best = run.best;
    return html`
      <h2>Timeline</h2>
      <run-timeline .run=${run} .trials=${trials?.trials ?? []} .total=${num(trials?.total) ?? 0}></run-timeline>
      ${best ? html`<h2>Best candidate</h2>
        <p><code>${best.trialId}</code> ${best.trainer} <span class="mono">${Object.entries(best.parameters).map(([k, v]) => `${k}=${v}`).join(', ')}</span></p>
        <p>${Object.entries(best.metrics).map(([k, v]) => html`<span class="badge info">${k} ${v}</span> `)}</p>` : nothing}
      ${run.champion ? html`<p>Against production v${run.champion.championVersion}: ${run.champion.metric} ${run.champion.challenger} vs ${run.champion.champion}
        — ${run.champion.better ? 'better' : 'not better'} (needed +${run.champion.minImprovement}).</p>` : nothing}
      ${run.modelVersion !== null ? html`<p>Registered as model <a href=${href('/models', run.project)}>v${run.modelVersion}</a>.</p>` : nothing}
      <h2>Approval</h2>
      ${approval ? this.renderApproval(approval) : html`<p class="muted">${Live.includes(run.status) ? 'Nobody has been asked yet: the approval starts when the sweep has a candidate that meets the KPIs.' : 'This run asked nobody.'}</p>`}
      <h2>Attempts</h2>
      ${run.attempts.length ? html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Attempt</th><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Data version</th><th scope="col">Started</th><th scope="col">Error</th></tr></thead>
        <tbody>${run.attempts.map(a => html`<tr><td>${a.attempt}</td>
          <td>${a.runId === run.runId ? html`<code>${a.runId}</code> (this run)` : html`<a href=${href('/runs', a.runId)}><code>${a.runId}</code></a>`}</td>
          <td><status-badge status=${a.status}></status-badge></td><td>${a.datasetVersion ?? '—'}</td><td>${when(a.createdAt)}</td><td>${a.error ?? ''}</td></tr>`)}</tbody>
      </table></div>` : html`<p class="muted">The first attempt.</p>`}`;
  }

  private renderApproval(a: Schemas['ApprovalView']) {
    const waitingFor = a.approvers.filter(p => !a.decisions.some(d => d.approver === p));
    return html`<dl class="facts">
        <dt>Status</dt><dd><status-badge status=${a.status}></status-badge></dd>
        <dt>Approvers</dt><dd>${a.approvers.join(', ')} (quorum ${a.quorum})</dd>
        ${a.status === 'Pending' ? html`<dt>Waiting for</dt><dd>${waitingFor.join(', ') || '—'}</dd>` : nothing}
        <dt>Asked</dt><dd>${when(a.createdAt)}${a.notified?.length ? ` — emailed ${a.notified.join(', ')}` : ''}</dd>
        <dt>Deadline</dt><dd>${when(a.expiresAt)}</dd>
        <dt>Reminders</dt><dd>${a.reminders}${a.escalated?.length ? ` · escalated to ${a.escalated.join(', ')}` : ''}</dd>
        ${a.sendError ? html`<dt>Sending failed</dt><dd class="field-error">${a.sendError}</dd>` : nothing}
        ${a.decidedAt ? html`<dt>Decided</dt><dd>${when(a.decidedAt)} by ${a.decidedBy ?? '—'} (after ${duration(new Date(a.decidedAt).getTime() - new Date(a.createdAt ?? a.decidedAt).getTime())})${a.reason ? ` · ${a.reason}` : ''}${a.comment ? ` · “${a.comment}”` : ''}</dd>` : nothing}
      </dl>
      ${a.decisions.length ? html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Approver</th><th scope="col">Decision</th><th scope="col">Reason</th><th scope="col">Comment</th><th scope="col">When</th></tr></thead>
        <tbody>${a.decisions.map(d => html`<tr><td>${d.approver}</td><td><status-badge status=${d.decision === 'approve' ? 'Approved' : d.decision === 'reject' ? 'Rejected' : d.decision}></status-badge></td>
          <td>${d.reason ?? ''}</td><td>${d.comment ?? ''}</td><td>${when(d.at)}</td></tr>`)}</tbody></table></div>` : nothing}`;
  }

  private renderActions(run: Run) {
    const pending = run.approval?.status === 'Pending';
    const manage = session.can('ApprovalManage', run.project) && pending;
    const rerun = session.can('RunStart', run.project) && !Live.includes(run.status);
    if (!manage && !rerun && !this.actionError && !this.message) return nothing;
    return html`<div class="actions">
        ${manage ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.resend(run)}>Resend approval emails</button>
          <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.cancel(run)}>Cancel approval</button>` : nothing}
        ${rerun ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.rerun(run)}>Rerun</button>` : nothing}
      </div>
      ${this.message ? html`<p class="message" role="status">${this.message}</p>` : nothing}
      <problem-alert .error=${this.actionError}></problem-alert>`;
  }

  private async act(work: () => Promise<void>) {
    this.busy = true;
    this.actionError = null;
    this.message = '';
    try { await work(); } catch (error) { this.actionError = error; } finally { this.busy = false; }
  }

  private async resend(run: Run) {
    const approval = run.approval!;
    const ok = await this.dialog.ask({ title: 'Resend the approval emails?', message: `Approvers who have not decided (${approval.approvers.filter(p => !approval.decisions.some(d => d.approver === p)).join(', ')}) get fresh links.`, confirm: 'Resend' });
    if (ok === null) return;
    await this.act(async () => {
      const answer = await post<Schemas['ResendView']>(href('/api/approvals', approval.approvalId) + '/resend');
      this.message = answer.message;
      await this.run.load({ quiet: true });
    });
  }

  private async cancel(run: Run) {
    const approval = run.approval!;
    const reason = await this.dialog.ask({ title: 'Cancel the approval?', message: `Nobody can decide any more and run ${run.runId} ends Cancelled.`, confirm: 'Cancel approval', reason: true, danger: true });
    if (reason === null) return;
    await this.act(async () => {
      await post<Schemas['ApprovalView']>(href('/api/approvals', approval.approvalId) + '/cancel', { comment: reason });
      this.message = 'The approval is cancelled.';
      await this.run.load({ quiet: true });
    });
  }

  private async rerun(run: Run) {
    const ok = await this.dialog.ask({ title: 'Rerun?', message: `A new attempt of ${run.project} on ${run.dataset}, linked to this run, with the project's current candidates.`, confirm: 'Start the rerun' });
    if (ok === null) return;
    await this.act(async () => {
      const started = await post<Schemas['RerunStartedView']>(href('/api/runs', run.runId) + '/rerun', { version: null, candidates: null, searchSpace: null });
      navigate(href('/runs', started.runId));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-page': RunPage; }
}
