// Home: what needs the caller today, as cards by their roles — failed or quarantine-heavy ingests (data engineers),
// running runs and gate verdicts (data scientists), approvals waiting for them (anyone), drift alerts and models
// waiting for a four-eyes promotion (ML engineers), recent production changes. Every card links to its page; every
// query is bounded (a few projects, a page of runs, the newest entries).
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href } from '../app/router.js';
import { session } from '../app/session.js';
import { ago, percent } from '../app/format.js';
import { shared } from '../styles/shared.js';
import { num } from '../components/ops-util.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';

/** How many projects and datasets the cards look into, and how many items each shows. */
const MaxProjects = 8;
const MaxDatasets = 8;
const MaxItems = 6;
/** A version with more than this share of its rows quarantined needs a look. */
const QuarantineShare = 0.05;

type Run = Schemas['RunInfo'];
interface Ingest { project: string; dataset: string; version: Schemas['DatasetVersionInfo'] }
interface Change { change: Schemas['DeploymentChange'] }
interface Alert { project: string; alert: Schemas['MonitoringAlertView'] }
interface Waiting { project: string; staging: number; production: number | null }
interface Registry { changes: Schemas['DeploymentChange'][]; waiting: Waiting[] }

const has = (...roles: string[]) => roles.some(r => session.hasRole(r));
/** Settles every call, keeping what answered (one project the caller cannot read does not empty a card). */
async function each<T, R>(items: T[], call: (item: T) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(call));
  return settled.flatMap(s => (s.status === 'fulfilled' ? [s.value] : []));
}

@customElement('home-page')
export class HomePage extends LitElement {
  static styles = [shared, css`
    .grid { grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
    .card ul { list-style: none; margin: 0; padding: 0; }
    .card li { padding: 0.4rem 0; border-bottom: 1px solid var(--o-border); overflow-wrap: anywhere; }
    .card li:last-child { border-bottom: none; }
    .card h2 { font-size: 1.1rem; display: flex; justify-content: space-between; gap: 0.5rem; align-items: baseline; }
    .count { font-size: 0.9rem; font-weight: normal; }
    .more { margin-top: 0.5rem; display: inline-block; }
    .small { font-size: 0.88rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  private projects: Promise<Schemas['ProjectSummaryView'][]> | null = null;

  private projectList(signal: AbortSignal) {
    this.projects ??= get<Schemas['ProjectListView']>('/api/projects', undefined, signal).then(v => v.projects.slice(0, MaxProjects));
    return this.projects;
  }

  private approvals = new Loader(this, signal => get<Schemas['ApprovalsView']>('/api/approvals',
    { status: 'pending', approver: session.me?.id, limit: MaxItems }, signal));

  private ingests = new Loader<Ingest[]>(this, async signal => {
    const recent = (await get<Schemas['CatalogSearchView']>('/api/datasets', { order: 'updated', limit: MaxDatasets }, signal)).datasets;
    const entries = await each(recent, d => get<Schemas['DatasetEntryView']>(href('/api/projects', d.project, 'datasets', d.dataset), undefined, signal)
      .then(entry => ({ d, entry })));
    return entries.flatMap(({ d, entry }) => ('columns' in entry ? (entry as Schemas['DatasetEntryViewDatasetDetailView']).versions : [])
      .filter(v => v.status === 'Failed' || v.status === 'Quarantined' || share(v) > QuarantineShare)
      .map(version => ({ project: d.project, dataset: d.dataset, version })))
      .sort((a, b) => b.version.createdAt.localeCompare(a.version.createdAt)).slice(0, MaxItems);
  });

  private runs = new Loader<Run[]>(this, async signal => {
    const projects = await this.projectList(signal);
    const pages = await each(projects, p => get<Schemas['RunsView']>(href('/api/projects', p.name, 'runs'), { order: 'newest', limit: 10 }, signal));
    return pages.flatMap(p => p.runs).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, MaxItems);
  });

  private registry = new Loader<Registry>(this, async signal => {
    const projects = await this.projectList(signal);
    const views = await each(projects, p => get<Schemas['ModelsView']>(href('/api/projects', p.name, 'models'), undefined, signal).then(m => ({ p, m })));
    const changes = views.flatMap(({ m }) => m.history.filter(c => c.environment === 'production'))
      .sort((a, b) => b.at.localeCompare(a.at)).slice(0, MaxItems);
    const waiting = views.flatMap(({ p, m }) => {
      const staging = num(m.environments.staging?.version), production = num(m.environments.production?.version);
      return p.fourEyes && staging !== null && staging !== production ? [{ project: p.name, staging, production }] : [];
    });
    return { changes, waiting };
  });

  private alerts = new Loader<Alert[]>(this, async signal => {
    const projects = await this.projectList(signal);
    const views = await each(projects, p => get<Schemas['MonitoringView']>(href('/api/projects', p.name, 'monitoring'), undefined, signal));
    return views.flatMap(v => v.alerts.map(alert => ({ project: v.project, alert })))
      .sort((a, b) => b.alert.windowEnd.localeCompare(a.alert.windowEnd)).slice(0, MaxItems);
  });

  connectedCallback() {
    super.connectedCallback();
    void this.approvals.load();
    void this.registry.load();
    if (has('DataEngineer', 'Admin')) void this.ingests.load();
    if (has('DataScientist', 'Admin')) void this.runs.load();
    if (has('MlEngineer', 'Admin')) void this.alerts.load();
  }

  render() {
    const me = session.me;
    return html`<h1>What needs you today</h1>
      <p class="muted">Signed in as ${me?.id}${me?.roles.length ? ` (${me.roles.join(', ')})` : ''}.</p>
      <div class="grid">
        ${has('DataEngineer', 'Admin') ? this.renderIngests() : nothing}
        ${has('DataScientist', 'Admin') ? this.renderRuns() : nothing}
        ${this.renderApprovals()}
        ${has('MlEngineer', 'Admin') ? this.renderAlerts() : nothing}
        ${has('MlEngineer', 'Admin') ? this.renderWaiting() : nothing}
        ${this.renderChanges()}
      </div>`;
  }

  private card<T>(title: string, loader: Loader<T>, items: unknown[] | undefined, empty: string, body: () => TemplateResult, link: TemplateResult) {
    return html`<section class="card" aria-labelledby=${cardId(title)}>
      <h2 id=${cardId(title)}>${title}${items ? html`<span class="count muted">${items.length}${items.length >= MaxItems ? '+' : ''}</span>` : nothing}</h2>
      <problem-alert .error=${loader.error}></problem-alert>
      ${!items ? (loader.error ? nothing : html`<p class="muted">Loading…</p>`) : items.length === 0 ? html`<p class="muted">${empty}</p>` : body()}
      ${link}
    </section>`;
  }

  private renderIngests() {
    const items = this.ingests.value;
    return this.card('Ingests to look at', this.ingests, items, 'No failed or quarantine-heavy ingest among the recent datasets.', () => html`<ul>
      ${items!.map(i => html`<li><a href=${`${href('/catalog', i.project, i.dataset)}?version=${i.version.version}`}>${i.project}/${i.dataset} v${i.version.version}</a>
        <status-badge status=${i.version.status}></status-badge>
        <div class="small muted">${i.version.error ?? `${percent(share(i.version))} of ${num(i.version.rowsIn)} rows quarantined`} · ${ago(i.version.createdAt)}</div></li>`)}
    </ul>`, html`<a class="more" href="/catalog">Open the catalog</a>`);
  }

  private renderRuns() {
    const items = this.runs.value;
    const me = session.me?.id;
    return this.card('Runs and gate verdicts', this.runs, items, 'No run in your projects yet.', () => html`<ul>
      ${items!.map(r => html`<li><a href=${href('/runs', r.runId)}>${r.runId}</a> <status-badge status=${r.status}></status-badge>
        <div class="small muted">${r.project} · ${r.stage}${r.requestedBy === me ? ' · yours' : ''} · ${ago(r.updatedAt)}${r.error ? html` · ${r.error}` : nothing}</div></li>`)}
    </ul>`, html`<a class="more" href="/projects">Open projects and runs</a>`);
  }

  private renderApprovals() {
    const view = this.approvals.value;
    const items = view?.approvals;
    return this.card('Approvals waiting for you', this.approvals, items, 'Nothing waits for your decision.', () => html`<ul>
      ${items!.map(a => html`<li><a href=${href('/runs', a.runId)}>${a.project}: ${a.runId}</a> <status-badge status=${a.status}></status-badge>
        <div class="small muted">asked by ${a.requestedBy ?? '—'} · expires ${ago(a.expiresAt).replace(' ago', '')}${new Date(a.expiresAt).getTime() > Date.now() ? ' from now' : ''} · the link is in your email</div></li>`)}
    </ul>${view && num(view.total)! > items!.length ? html`<p class="small muted">${num(view.total)} in all.</p>` : nothing}`, html`<a class="more" href="/approvals">Open approvals</a>`);
  }

  private renderAlerts() {
    const items = this.alerts.value;
    return this.card('Drift alerts', this.alerts, items, 'No monitoring alert in the last days.', () => html`<ul>
      ${items!.map(a => html`<li><a href=${href('/monitoring', a.project)}>${a.project}</a> <span class="small muted">${ago(a.alert.windowEnd)}</span>
        <div class="small">${a.alert.alertReason ?? 'alert'}${a.alert.retrainRequested ? ' · retraining requested' : ''}</div></li>`)}
    </ul>`, html`<a class="more" href="/monitoring">Open monitoring</a>`);
  }

  private renderWaiting() {
    const items = this.registry.value?.waiting;
    return this.card('Waiting for a four-eyes promotion', this.registry, items, 'No model waits in staging for a second pair of eyes.', () => html`<ul>
      ${items!.map(w => html`<li><a href=${href('/models', w.project)}>${w.project}</a>: v${w.staging} in staging
        <div class="small muted">production ${w.production === null ? 'serves nothing' : `serves v${w.production}`}; someone who did not approve it promotes it</div></li>`)}
    </ul>`, html`<a class="more" href="/models">Open models</a>`);
  }

  private renderChanges() {
    const items = this.registry.value?.changes;
    return this.card('Recent production changes', this.registry, items, 'No production change yet.', () => html`<ul>
      ${(items as Change['change'][]).map(c => html`<li><a href=${href('/models', c.project)}>${c.project}</a>: ${c.action}
        ${c.fromVersion === null ? '' : `v${c.fromVersion} → `}${c.toVersion === null ? '—' : `v${c.toVersion}`} <status-badge status=${c.outcome}></status-badge>
        <div class="small muted">by ${c.by ?? '—'} · ${ago(c.at)}${c.reason ? ` · ${c.reason}` : ''}</div></li>`)}
    </ul>`, html`<a class="more" href="/models">Open models</a>`);
  }
}

const cardId = (title: string) => `card-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;

/** The share of a version's rows that were quarantined. */
function share(v: Schemas['DatasetVersionInfo']): number {
  const rowsIn = num(v.rowsIn) ?? 0;
  return rowsIn > 0 ? (num(v.rowsQuarantined) ?? 0) / rowsIn : 0;
}

declare global {
  interface HTMLElementTagNameMap { 'home-page': HomePage; }
}
