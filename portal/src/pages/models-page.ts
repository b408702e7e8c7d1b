// Models: a project's registry — environments (what each serves, what it served before, roll back), aliases, versions
// with their metrics (the primary metric by version as a chart), the change history (who, when, why, outcome), and
// promotion (version + environment + reason, after a smoke test) for whoever may promote.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href } from '../app/router.js';
import { session } from '../app/session.js';
import { number, when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { ConfirmDialog } from '../components/confirm-dialog.js';
import type { Column } from '../components/data-table.js';
import type { EChartsOption } from '../charts/echarts.js';
import { fourEyesNote, lineageLink, num } from '../components/ops-util.js';
import '../components/confirm-dialog.js';
import '../components/data-table.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';
import '../components/ops-project-picker.js';
import '../charts/o-chart.js';

type Version = Schemas['ModelVersionInfo'];
type Change = Schemas['DeploymentChange'];
const Environments = ['staging', 'production'];

interface Registry { models: Schemas['ModelsView']; project: Schemas['ProjectView'] }

@customElement('models-page')
export class ModelsPage extends LitElement {
  static styles = [shared, css`
    o-chart { height: 220px; }
    .env h3 { display: flex; gap: 0.5rem; align-items: center; }
    .big { font-size: 1.6rem; font-weight: 700; }
    form.promote { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
    form.promote label { margin: 0 0 0.2rem; }
    .ok { color: var(--o-ok); }
    .note { background: var(--o-warn-bg); color: var(--o-warn); border-radius: var(--o-radius); padding: 0.5rem 0.8rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private actionError: unknown = null;
  @state() private outcome = '';
  @state() private smoke: Schemas['SmokeTestResult'] | null = null;
  @state() private busy = false;
  @state() private promoteVersion = '';
  @state() private promoteEnvironment = 'production';
  @query('confirm-dialog') private dialog!: ConfirmDialog;

  private registry = new Loader<Registry>(this, async signal => {
    const p = this.params.project;
    const [models, project] = await Promise.all([
      get<Schemas['ModelsView']>(href('/api/projects', p, 'models'), undefined, signal),
      get<Schemas['ProjectView']>(href('/api/projects', p), undefined, signal),
    ]);
    return { models, project };
  });

  connectedCallback() {
    super.connectedCallback();
    if (this.params.project) void this.registry.load();
  }

  render() {
    const p = this.params.project;
    return html`<h1>Models${p ? html` <span class="muted">· ${p}</span>` : nothing}</h1>
      <ops-project-picker base="/models" .project=${p ?? ''} ?list=${!p}></ops-project-picker>
      ${p ? this.renderProject() : nothing}
      <confirm-dialog></confirm-dialog>`;
  }

  private renderProject() {
    const r = this.registry.value;
    if (!r) return this.registry.error ? html`<problem-alert .error=${this.registry.error}></problem-alert>` : html`<p class="muted">Loading the registry…</p>`;
    const { models, project } = r;
    return html`
      <problem-alert .error=${this.registry.error}></problem-alert>
      <h2>Environments</h2>
      <div class="grid">${Environments.concat(Object.keys(models.environments).filter(e => !Environments.includes(e))).map(e => this.renderEnvironment(e, models))}</div>
      <p class="muted">Aliases: ${Object.entries(models.aliases).map(([alias, v], i) => html`${i ? ', ' : ''}<strong>${alias}</strong> → ${v === null ? 'none' : `v${v}`}`)}</p>
      ${this.actionError ? html`<problem-alert .error=${this.actionError}></problem-alert>
        ${this.actionError instanceof ApiError && this.actionError.status === 403 && project.fourEyes ? html`<p class="note">${fourEyesNote(true)}</p>` : nothing}` : nothing}
      ${this.outcome ? html`<p role="status" class="ok">${this.outcome}</p>` : nothing}
      ${this.smoke ? html`<p>Smoke test <status-badge status=${this.smoke.passed ? 'Passed' : 'Failed'}></status-badge>
        ${this.smoke.rows} rows, ${this.smoke.mismatches} mismatches, load ${number(num(this.smoke.loadMilliseconds), 3)} ms,
        predict ${number(num(this.smoke.predictMilliseconds), 3)} ms. <span class="muted">${this.smoke.detail}</span></p>` : nothing}
      ${session.can('Promote', models.project) ? this.renderPromote(models) : nothing}
      <h2>Versions</h2>
      ${models.versions.length ? html`<o-chart .option=${this.chart(models.versions, project.primaryMetric)}
        label=${`${project.primaryMetric} by model version: ${models.versions.map(v => `v${v.version} ${number(num(v.metrics[project.primaryMetric]))}`).join(', ')}`}></o-chart>` : nothing}
      <section aria-label="Model versions"><data-table .columns=${this.versionColumns(project.primaryMetric)} .rows=${[...models.versions].reverse()} empty="No version registered yet."></data-table></section>
      <h2>History</h2>
      <section aria-label="Environment changes, newest first"><data-table .columns=${this.historyColumns()} .rows=${[...models.history].reverse()} empty="No change yet."></data-table></section>`;
  }

  private renderEnvironment(environment: string, models: Schemas['ModelsView']) {
    const env = models.environments[environment] ?? { version: null, previous: [], canRollback: false };
    const previous = env.previous.map(v => `v${v}`).join(', ');
    return html`<section class="card env" aria-label=${`Environment ${environment}`}>
      <h3>${environment} ${env.version !== null ? html`<status-badge status=${environment === 'production' ? 'Production' : 'Staging'}></status-badge>` : nothing}</h3>
      <p class="big">${env.version === null ? html`<span class="muted">nothing</span>` : `v${env.version}`}</p>
      <p class="muted">${previous ? `Served before: ${previous}` : 'Nothing served before.'}</p>
      ${env.version !== null ? html`<p><a href=${lineageLink('model-version', `${models.project}/${env.version}`)}>Lineage of v${env.version}</a></p>` : nothing}
      ${session.can('Rollback', models.project) && env.canRollback
        ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.rollback(environment, env)}>Roll back ${environment}</button>` : nothing}
    </section>`;
  }

  private renderPromote(models: Schemas['ModelsView']) {
    const versions = [...models.versions].reverse();
    const selected = this.promoteVersion || String(versions[0]?.version ?? '');
    return html`<h2>Promote</h2>
      <form class="promote" @submit=${(e: Event) => { e.preventDefault(); void this.promote(selected); }}>
        <div><label for="promote-version">Version</label>
          <select id="promote-version" @change=${(e: Event) => (this.promoteVersion = (e.target as HTMLSelectElement).value)}>
            ${versions.map(v => html`<option value=${String(v.version)} ?selected=${String(v.version) === selected}>v${v.version} (${v.stage})</option>`)}
          </select></div>
        <div><label for="promote-environment">Environment</label>
          <select id="promote-environment" @change=${(e: Event) => (this.promoteEnvironment = (e.target as HTMLSelectElement).value)}>
            ${Environments.map(e => html`<option value=${e} ?selected=${e === this.promoteEnvironment}>${e}</option>`)}
          </select></div>
        <div><button type="submit" ?disabled=${this.busy || !selected}>Promote…</button></div>
      </form>
      ${this.actionError instanceof ApiError ? this.fieldErrors(this.actionError) : nothing}`;
  }

  private fieldErrors(error: ApiError) {
    const messages = [...error.field('environment'), ...error.field('reason')];
    return messages.map(m => html`<p class="field-error">${m}</p>`);
  }

  private versionColumns(metric: string): Column<Version>[] {
    const p = this.params.project;
    return [
      { key: 'version', label: 'Version', numeric: true, sortable: true, value: v => num(v.version), cell: v => `v${v.version}` },
      { key: 'stage', label: 'Stage', sortable: true, cell: v => html`<status-badge status=${v.stage}></status-badge>` },
      { key: 'metric', label: metric, numeric: true, sortable: true, value: v => num(v.metrics[metric]), cell: v => number(num(v.metrics[metric])) },
      { key: 'metrics', label: 'Other metrics', cell: v => Object.entries(v.metrics).filter(([k]) => k !== metric).map(([k, m]) => `${k} ${number(num(m))}`).join(', ') },
      { key: 'trainer', label: 'Trainer', sortable: true },
      { key: 'data', label: 'Data', cell: v => html`<a href=${`${href('/catalog', p, v.dataset)}?version=${v.datasetVersion}`}>${v.dataset} v${v.datasetVersion}</a>` },
      { key: 'run', label: 'Run', cell: v => html`<a href=${href('/runs', v.runId)}>${v.runId}</a>` },
      { key: 'approvedBy', label: 'Approved by', cell: v => v.approvedBy ?? '—' },
      { key: 'createdAt', label: 'Registered', sortable: true, cell: v => html`<span title=${v.createdAt}>${when(v.createdAt)}</span>` },
      { key: 'lineage', label: 'Lineage', cell: v => html`<a href=${lineageLink('model-version', `${p}/${v.version}`)} aria-label=${`Lineage of v${v.version}`}>lineage</a>` },
    ];
  }

  private historyColumns(): Column<Change>[] {
    return [
      { key: 'at', label: 'When', sortable: true, cell: c => html`<span title=${c.at}>${when(c.at)}</span>` },
      { key: 'environment', label: 'Environment', sortable: true },
      { key: 'action', label: 'Action', sortable: true },
      { key: 'change', label: 'From → to', cell: c => `${c.fromVersion === null ? '—' : `v${c.fromVersion}`} → ${c.toVersion === null ? '—' : `v${c.toVersion}`}` },
      { key: 'by', label: 'Who', sortable: true, cell: c => c.by ?? '—' },
      { key: 'reason', label: 'Why', cell: c => c.reason ?? '—' },
      { key: 'outcome', label: 'Outcome', sortable: true, cell: c => html`<status-badge status=${c.outcome}></status-badge>${c.detail ? html` <span class="muted">${c.detail}</span>` : nothing}` },
    ];
  }

  private chart(versions: Version[], metric: string): EChartsOption {
    const names = versions.map(v => `v${v.version}`);
    const values = versions.map(v => num(v.metrics[metric]));
    return {
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      title: { text: metric, textStyle: { fontSize: 13 } },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', scale: true },
      series: [
        { type: 'bar', name: metric, data: values, itemStyle: { color: '#9fc2e7' } },
        { type: 'line', name: `${metric} trend`, data: values, itemStyle: { color: '#0b5cad' } },
      ],
    };
  }

  private async promote(version: string) {
    const environment = this.promoteEnvironment;
    const reason = await this.dialog.ask({
      title: `Promote v${version} to ${environment}?`,
      message: `A smoke test loads v${version} and scores the rows recorded at training; only if it gives the same answers does ${environment} switch to it.`,
      confirm: 'Promote', reason: true,
    });
    if (reason === null) return;
    await this.act(async () => {
      const answer = await post<Schemas['PromotionView']>(href('/api/projects', this.params.project, 'models', version, 'promote'), { environment, reason });
      this.smoke = answer.smokeTest ?? null;
      this.outcome = answer.change
        ? `${environment} now serves v${answer.change.toVersion} (${answer.change.outcome}).`
        : `Promotion of v${version} to ${environment}: ${answer.status ?? 'accepted'}; the registry updates when it ends.`;
    });
  }

  private async rollback(environment: string, env: Schemas['EnvironmentView']) {
    const back = env.previous[env.previous.length - 1];
    const reason = await this.dialog.ask({
      title: `Roll back ${environment}?`,
      message: `${environment} goes back from v${env.version} to the version it served before${back !== undefined ? ` (v${back})` : ''}, at once.`,
      confirm: 'Roll back', reason: true, danger: true,
    });
    if (reason === null) return;
    await this.act(async () => {
      const answer = await post<Schemas['RollbackView']>(href('/api/projects', this.params.project, 'models', 'rollback'), { environment, reason });
      this.smoke = null;
      this.outcome = answer.change
        ? `${environment} rolled back to v${answer.change.toVersion}.`
        : `Rollback of ${environment}: ${answer.status ?? 'accepted'}; the registry updates when it ends.`;
    });
  }

  private async act(action: () => Promise<void>) {
    this.busy = true;
    this.actionError = null;
    this.outcome = '';
    try {
      await action();
    } catch (error) {
      this.actionError = error;
      if (error instanceof ApiError && error.status === 422) this.smoke = null;
    } finally {
      this.busy = false;
      await this.registry.load({ quiet: true });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'models-page': ModelsPage; }
}
