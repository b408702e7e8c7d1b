// One project: its definition (the editor, for those who may write projects), starting a run on one of its datasets,
// and its runs — filtered and paged on the server, the filters in the URL so Back and shared links keep them.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { ago, when } from '../app/format.js';
import { href, navigate, setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import { definitionOf, newDefinition } from '../components/project-editor.js';
import { num } from '../components/project-metrics.js';
import '../components/data-table.js';
import '../components/page-pager.js';
import '../components/problem-alert.js';
import '../components/project-editor.js';
import '../components/status-badge.js';

type Run = Schemas['RunInfo'];
const PageSize = 25;
const Statuses: Schemas['RunStatus'][] = ['Running', 'AwaitingApproval', 'Completed', 'Rejected', 'NotBetter', 'TimedOut', 'Cancelled', 'Failed'];
const Triggers = ['api', 'rerun', 'drift', 'schedule'];

@customElement('project-page')
export class ProjectPage extends LitElement {
  static styles = [shared, css`
    .start { display: flex; gap: 0.8rem; align-items: end; flex-wrap: wrap; }
    .start label, .filters label { margin-top: 0; }
    .filters { display: flex; gap: 0.8rem; flex-wrap: wrap; align-items: end; margin-bottom: 0.6rem; }
    .start input[type='number'] { width: 7rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private runDataset = '';
  @state() private version = '';
  @state() private startError: unknown = null;
  @state() private starting = false;

  private get name() { return this.params.project ?? ''; }

  private project = new Loader(this, signal => get<Schemas['ProjectView']>(href('/api/projects', this.name), undefined, signal));
  private datasets = new Loader(this, signal => get<Schemas['CatalogSearchView']>('/api/datasets', { project: this.name }, signal));
  private runs = new Loader(this, signal => get<Schemas['RunsView']>(href('/api/projects', this.name) + '/runs', {
    status: this.query.get('status'), trigger: this.query.get('trigger'), dataset: this.query.get('dataset'),
    order: this.query.get('order') ?? 'newest', offset: this.query.get('offset'), limit: PageSize,
  }, signal));

  connectedCallback() {
    super.connectedCallback();
    void this.project.load();
    void this.datasets.load();
  }

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('query')) void this.runs.load().then(page => this.pollWhileLive(page));
  }

  /** While a run of the page is live, its status moves: ask again every 5 s (quietly) until none is. */
  private pollWhileLive(page: Schemas['RunsView'] | undefined) {
    if (!page) return;
    const live = page.runs.some(r => r.status === 'Running' || r.status === 'AwaitingApproval');
    if (live && !this.polling) {
      this.polling = true;
      this.runs.poll(5000);
    } else if (!live && this.polling) {
      this.polling = false;
      this.runs.stopPolling();
    }
  }

  private polling = false;

  updated() {
    if (this.polling) this.pollWhileLive(this.runs.value);
  }

  private get missing() {
    return this.project.error instanceof ApiError && this.project.error.status === 404;
  }

  private columns: Column<Run>[] = [
    { key: 'runId', label: 'Run', cell: r => html`<a href=${href('/runs', r.runId)}><code>${r.runId}</code></a>${num(r.attempt) !== 1 ? html` <span class="muted">attempt ${r.attempt}</span>` : nothing}` },
    { key: 'status', label: 'Status', cell: r => html`<status-badge status=${r.status}></status-badge>` },
    { key: 'stage', label: 'Stage' },
    { key: 'dataset', label: 'Dataset', cell: r => `${r.dataset}${r.datasetVersion !== null ? ` v${r.datasetVersion}` : ''}` },
    { key: 'trigger', label: 'Trigger' },
    { key: 'trialsTotal', label: 'Trials', numeric: true },
    { key: 'modelVersion', label: 'Model', cell: r => (r.modelVersion !== null ? `v${r.modelVersion}` : '—') },
    { key: 'requestedBy', label: 'Started by', cell: r => r.requestedBy ?? '—' },
    { key: 'createdAt', label: 'Started', cell: r => html`<span title=${when(r.createdAt)}>${ago(r.createdAt)}</span>` },
  ];

  render() {
    const view = this.project.value;
    const isNew = this.missing;
    return html`<p><a href="/projects">Projects</a> ›</p>
      <h1>${this.name}</h1>
      ${view ? html`<p class="muted">${view.task} on <code>${view.label}</code>, ranked by <code>${view.primaryMetric}</code>; approved by ${view.approvers.join(', ')} (quorum ${view.quorum}).</p>` : nothing}
      ${isNew ? html`<p class="muted">This project does not exist yet${session.can('ProjectWrite', this.name) ? ': define it below.' : '.'}</p>`
        : html`<problem-alert .error=${this.project.error}></problem-alert>`}
      ${this.project.loading && !view && !isNew ? html`<p class="muted">Loading…</p>` : nothing}
      ${session.can('ProjectWrite', this.name) && (view || isNew) ? html`
        <section aria-labelledby="definition-heading">
          <h2 id="definition-heading">Definition</h2>
          <project-editor .project=${this.name} .exists=${!isNew} .definition=${this.editorDefinition(view)}
            @saved=${this.saved}></project-editor>
        </section>` : nothing}
      ${view ? html`${this.renderStart()}${this.renderRuns()}` : nothing}`;
  }

  /** The editor's starting point, the same object until the project itself changes (so re-renders keep edits). */
  private memo: { view: Schemas['ProjectView'] | undefined; definition: Schemas['ProjectDefinition'] } | null = null;
  private editorDefinition(view: Schemas['ProjectView'] | undefined) {
    if (!this.memo || this.memo.view !== view) this.memo = { view, definition: view ? definitionOf(view) : newDefinition() };
    return this.memo.definition;
  }

  private saved(event: CustomEvent<Schemas['ProjectView']>) {
    this.project.value = event.detail;
    this.project.error = null;
    this.requestUpdate();
    if (this.query.has('new')) setQuery({ new: null }, { replace: true });
  }

  private renderStart() {
    if (!session.can('RunStart', this.name)) return nothing;
    const names = (this.datasets.value?.datasets ?? []).filter(d => d.project === this.name);
    const field = (key: string) => (this.startError instanceof ApiError ? this.startError.field(key) : []);
    const datasetErrors = field('dataset');
    const versionErrors = field('version');
    return html`<section aria-labelledby="start-heading">
      <h2 id="start-heading">Start a run</h2>
      <form class="start" @submit=${this.start} novalidate>
        <datalist id="datasets">${names.map(d => html`<option value=${d.dataset}>${d.dataset} (latest v${d.latestVersion ?? '—'})</option>`)}</datalist>
        <div><label for="run-dataset">Dataset</label>
          <input id="run-dataset" type="text" list="datasets" required .value=${this.runDataset}
            aria-invalid=${datasetErrors.length ? 'true' : 'false'} aria-describedby=${datasetErrors.length ? 'run-dataset-error' : nothing}
            @input=${(e: Event) => (this.runDataset = (e.target as HTMLInputElement).value)}>
          ${datasetErrors.length ? html`<p id="run-dataset-error" class="field-error">${datasetErrors.join(' ')}</p>` : nothing}</div>
        <div><label for="run-version">Version <span class="muted">(latest if empty)</span></label>
          <input id="run-version" type="number" min="1" step="1" .value=${this.version}
            aria-invalid=${versionErrors.length ? 'true' : 'false'} aria-describedby=${versionErrors.length ? 'run-version-error' : nothing}
            @input=${(e: Event) => (this.version = (e.target as HTMLInputElement).value)}>
          ${versionErrors.length ? html`<p id="run-version-error" class="field-error">${versionErrors.join(' ')}</p>` : nothing}</div>
        <button type="submit" ?disabled=${this.starting || this.runDataset.trim() === ''}>Start run</button>
      </form>
      ${this.startError instanceof ApiError && Object.keys(this.startError.errors).length ? nothing : html`<problem-alert .error=${this.startError}></problem-alert>`}
    </section>`;
  }

  private async start(event: Event) {
    event.preventDefault();
    this.starting = true;
    this.startError = null;
    try {
      const started = await post<Schemas['RunStartedView']>(href('/api/projects', this.name) + '/runs', {
        dataset: this.runDataset.trim(), version: this.version === '' ? null : Number(this.version),
      });
      navigate(href('/runs', started.runId));
    } catch (error) {
      this.startError = error;
    } finally {
      this.starting = false;
    }
  }

  private filter(key: string, value: string) {
    setQuery({ [key]: value, offset: null });
  }

  private renderRuns() {
    const page = this.runs.value;
    const q = this.query;
    const select = (id: string, label: string, key: string, options: string[], any = 'Any') => html`<div>
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => this.filter(key, (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!q.get(key)}>${any}</option>
        ${options.map(o => html`<option value=${o} ?selected=${q.get(key) === o}>${o.replace(/([a-z])([A-Z])/g, '$1 $2')}</option>`)}
      </select></div>`;
    const datasets = (this.datasets.value?.datasets ?? []).filter(d => d.project === this.name).map(d => d.dataset);
    return html`<section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <div class="filters" role="search" aria-label="Filter runs">
        ${select('filter-status', 'Status', 'status', Statuses)}
        ${select('filter-trigger', 'Trigger', 'trigger', Triggers)}
        ${select('filter-dataset', 'Dataset', 'dataset', datasets)}
        <div><label for="filter-order">Order</label>
          <select id="filter-order" @change=${(e: Event) => this.filter('order', (e.target as HTMLSelectElement).value === 'oldest' ? 'oldest' : '')}>
            <option value="newest" ?selected=${q.get('order') !== 'oldest'}>Newest first</option>
            <option value="oldest" ?selected=${q.get('order') === 'oldest'}>Oldest first</option>
          </select></div>
        <button type="button" class="secondary" @click=${() => void this.runs.load()}>Refresh</button>
      </div>
      <problem-alert .error=${this.runs.error}></problem-alert>
      <data-table .columns=${this.columns} .rows=${page?.runs ?? []}
        empty=${this.runs.loading ? 'Loading…' : 'No run matches.'}></data-table>
      ${page ? html`<page-pager offset=${num(page.offset) ?? 0} limit=${num(page.limit) ?? PageSize} total=${num(page.total) ?? -1} count=${page.runs.length}></page-pager>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'project-page': ProjectPage; }
}
