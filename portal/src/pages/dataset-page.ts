// Dataset: the catalog entry (owner, description, tags, who may read it, expectations) with an edit form for who may
// edit, its versions, the selected version's data-quality report (`?version=`: per column type, null share,
// histogram, top values; rules; cleaning counts; quarantined rows with reasons) and the comparison of two versions
// (`?diff=a..b`: schema changes and per-column shift). A restricted dataset the caller may not read shows that it
// exists, who may read it, and the API's 403 explanation.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href, setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { bytes, number, percent, when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import '../components/data-table.js';
import '../components/page-pager.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';
import '../components/catalog-column-profile.js';
import '../components/catalog-quarantine.js';
import '../components/catalog-diff.js';
import '../components/catalog-metadata-form.js';

type Entry = Schemas['DatasetEntryView'];
type Detail = Schemas['DatasetEntryViewDatasetDetailView'];
type Restricted = Schemas['DatasetEntryViewRestrictedDatasetView'];
type VersionInfo = Schemas['DatasetVersionInfo'];
type VersionView = Schemas['DatasetVersionView'];

const PageSize = 20;

function isDetail(entry: Entry): entry is Detail {
  return 'columns' in entry;
}

@customElement('dataset-page')
export class DatasetPage extends LitElement {
  static styles = [shared, css`
    .head { display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
    .profiles { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
    .tags { display: flex; gap: 0.25rem; flex-wrap: wrap; }
    pre { background: var(--o-bg); border: 1px solid var(--o-border); border-radius: var(--o-radius); padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; }
    details summary { cursor: pointer; color: var(--o-accent); }
    form.compare { display: flex; gap: 0.6rem; align-items: end; flex-wrap: wrap; }
    form.compare label { margin-top: 0; }
    .bad { color: var(--o-bad); }
    tr.selected td { background: var(--o-info-bg); }
    status-badge { display: inline-block; vertical-align: middle; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private editing = false;
  @state() private saved = '';
  @state() private compareA = '';
  @state() private compareB = '';

  private get base() { return href('/api/projects', this.params.project ?? '', 'datasets', this.params.dataset ?? ''); }
  private get page() { return href('/catalog', this.params.project ?? '', this.params.dataset ?? ''); }

  private entry = new Loader<Entry>(this, signal => get<Entry>(this.base, undefined, signal));

  /** The selected version's view (or, for a restricted dataset, the API's refusal of it). */
  private version = new Loader<VersionView | null>(this, signal => {
    const n = this.selectedVersion();
    return n ? get<VersionView>(`${this.base}/versions/${n}`, undefined, signal) : Promise.resolve(null);
  });

  private loadedVersion = '';

  connectedCallback() {
    super.connectedCallback();
    void this.entry.load().then(() => this.refreshVersion());
  }

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('query') && this.entry.value) this.refreshVersion();
  }

  private refreshVersion() {
    const n = String(this.selectedVersion() ?? '');
    if (n === this.loadedVersion) return;
    this.loadedVersion = n;
    void this.version.load().then(v => {
      if (v && (v.status === 'Pending' || v.status === 'Ingesting')) this.version.poll(2000);
      else this.version.stopPolling();
    });
  }

  /** `?version=`, else the newest version (when no diff is asked for). */
  private selectedVersion(): number | null {
    const asked = Number(this.query.get('version'));
    if (Number.isInteger(asked) && asked > 0) return asked;
    if (this.query.get('diff')) return null;
    const latest = this.entry.value?.latestVersion;
    return latest === null || latest === undefined ? null : Number(latest);
  }

  private diff(): [number, number] | null {
    const m = /^(\d+)\.\.(\d+)$/.exec(this.query.get('diff') ?? '');
    return m ? [Number(m[1]), Number(m[2])] : null;
  }

  render() {
    const e = this.entry.value;
    return html`
      <p><a href="/catalog">Catalog</a> › <a href=${`/catalog?project=${encodeURIComponent(this.params.project ?? '')}`}>${this.params.project}</a></p>
      <div class="head">
        <h1>${this.params.dataset}</h1>
        ${e?.restricted ? html`<span class="badge warn">Restricted</span>` : nothing}
        ${e?.kind ? html`<span class="badge info">${e.kind}</span>` : nothing}
      </div>
      <problem-alert .error=${this.entry.error}></problem-alert>
      ${!e ? (this.entry.loading ? html`<p class="muted">Loading…</p>` : nothing) : isDetail(e) ? this.renderDetail(e) : this.renderRestricted(e)}`;
  }

  // A restricted dataset the caller may not read: what the catalog shows of it, and why the rest is refused.
  private renderRestricted(e: Restricted) {
    return html`
      ${this.renderFacts(e.owner, e.description, e.tags, e.restrictedTo)}
      <section aria-labelledby="restricted-title" class="card">
        <h2 id="restricted-title">Restricted data</h2>
        <p>This dataset exists, but its data is readable only by ${this.readers(e.restrictedTo)}, its owner${e.owner ? html` (<code>${e.owner}</code>)` : nothing} and Admins.
          Its columns, row counts and reports are not shown to you.</p>
        <problem-alert .error=${this.version.error}></problem-alert>
      </section>
      <h2>Versions</h2>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col" class="num">Version</th><th scope="col">Status</th><th scope="col">Arrived</th></tr></thead>
        <tbody>${[...e.versions].reverse().map(v => html`<tr><td class="num">${v.version}</td><td><status-badge status=${v.status}></status-badge></td><td>${when(v.createdAt)}</td></tr>`)}</tbody>
      </table></div>`;
  }

  private readers(list: string[] | null) {
    if (!list || list.length === 0) return html`the people it names`;
    return html`${list.map((r, i) => html`${i ? ', ' : nothing}<code>${r}</code>`)}`;
  }

  private renderFacts(owner: string | null, description: string | null, tags: string[], restrictedTo: string[] | null, more: unknown = nothing) {
    return html`<dl class="facts">
      <dt>Project</dt><dd>${this.params.project}</dd>
      <dt>Owner</dt><dd>${owner ?? html`<span class="muted">none</span>`}</dd>
      <dt>Description</dt><dd>${description || html`<span class="muted">none</span>`}</dd>
      <dt>Tags</dt><dd><span class="tags">${tags.length ? tags.map(t => html`<a class="badge info" href=${`/catalog?tag=${encodeURIComponent(t)}`}>${t}</a>`) : html`<span class="muted">none</span>`}</span></dd>
      <dt>Readable by</dt><dd>${restrictedTo && restrictedTo.length ? this.readers(restrictedTo) : 'everyone with the project\'s Read permission'}</dd>
      ${more}
    </dl>`;
  }

  private renderDetail(e: Detail) {
    const canEdit = session.can('DatasetEdit', this.params.project ?? '');
    return html`
      <section aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        ${this.editing ? html`<catalog-metadata-form .entry=${e} @saved=${this.onSaved} @cancel=${() => { this.editing = false; }}></catalog-metadata-form>` : html`
          ${this.renderFacts(e.owner, e.description, e.tags, e.restrictedTo, html`
            <dt>Columns</dt><dd>${e.columns.length ? e.columns.map((c, i) => html`${i ? ', ' : nothing}<code>${c}</code>`) : html`<span class="muted">none</span>`}</dd>
            <dt>Created</dt><dd>${when(e.createdAt)}</dd>
            <dt>Updated</dt><dd>${when(e.updatedAt)}</dd>`)}
          ${this.saved ? html`<p role="status" class="muted">${this.saved}</p>` : nothing}
          ${canEdit ? html`<p><button type="button" @click=${() => { this.editing = true; this.saved = ''; }}>Edit</button></p>` : nothing}
          ${this.renderExpectations(e)}
          <details><summary>Expectations as JSON</summary>
            <h3>Declared</h3>
            ${e.expectations ? html`<pre>${JSON.stringify(e.expectations, null, 2)}</pre>` : html`<p class="muted">None declared.</p>`}
            <h3>Inferred from the first good version</h3>
            ${e.inferredExpectations ? html`<pre>${JSON.stringify(e.inferredExpectations, null, 2)}</pre>` : html`<p class="muted">None yet.</p>`}
          </details>`}
      </section>
      ${this.renderVersions(e.versions)}
      ${this.renderDiff()}
      ${this.renderVersion()}`;
  }

  /** The expectations in force: declared ones winning over inferred ones, column by column. */
  private renderExpectations(e: Detail) {
    const declared = e.expectations ?? {};
    const inferred = e.inferredExpectations ?? {};
    if (!e.expectations && !e.inferredExpectations) return html`<h3>Expectations</h3><p class="muted">None yet: they are inferred from the first good version, or declared with Edit.</p>`;
    const names = [...new Set([...Object.keys(inferred.columns ?? {}), ...Object.keys(declared.columns ?? {})])];
    const column = (name: string) => ({ ...(inferred.columns?.[name] ?? {}), ...(declared.columns?.[name] ?? {}) });
    const from = (name: string) => (declared.columns?.[name] ? 'declared' : 'inferred');
    const required = declared.requiredColumns ?? inferred.requiredColumns ?? [];
    const key = declared.key ?? inferred.key ?? [];
    const share = declared.maxRejectedShare ?? inferred.maxRejectedShare ?? null;
    const show = (x: unknown) => (x === null || x === undefined ? '—' : String(x));
    return html`<h3>Expectations</h3>
      <dl class="facts">
        <dt>Required columns</dt><dd>${required.length ? required.map((c, i) => html`${i ? ', ' : nothing}<code>${c}</code>`) : '—'}</dd>
        <dt>Key</dt><dd>${key.length ? key.join(', ') : '—'}</dd>
        <dt>Deduplicate</dt><dd>${declared.deduplicate ?? inferred.deduplicate ?? 'none'}</dd>
        <dt>Max rejected share</dt><dd>${share === null ? 'default (5 %)' : percent(Number(share))}</dd>
      </dl>
      ${names.length ? html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Not null</th><th scope="col" class="num">Min</th><th scope="col" class="num">Max</th>
          <th scope="col">Allowed values</th><th scope="col" class="num">Max null share</th><th scope="col">From</th></tr></thead>
        <tbody>${names.map(n => { const c = column(n); return html`<tr>
          <td><code>${n}</code></td><td>${show(c.type)}</td><td>${c.notNull ? 'yes' : 'no'}</td><td class="num">${show(c.min)}</td><td class="num">${show(c.max)}</td>
          <td>${c.allowedValues?.length ? c.allowedValues.join(', ') : '—'}</td><td class="num">${c.maxNullShare === null || c.maxNullShare === undefined ? '—' : percent(Number(c.maxNullShare))}</td>
          <td>${from(n)}</td></tr>`; })}</tbody>
      </table></div>` : nothing}`;
  }

  private onSaved() {
    this.editing = false;
    this.saved = 'Saved.';
    void this.entry.load({ quiet: true });
  }

  private versionColumns(selected: number | null): Column<VersionInfo>[] {
    return [
      { key: 'version', label: 'Version', numeric: true, cell: v => Number(v.version) === selected
        ? html`<strong aria-current="true">${v.version}</strong>`
        : html`<a href=${`${this.page}?version=${v.version}`} aria-label=${`Version ${v.version}`}>${v.version}</a>` },
      { key: 'status', label: 'Status', cell: v => html`<status-badge status=${v.status}></status-badge>` },
      { key: 'kind', label: 'Kind', cell: v => `${v.kind} · ${v.format}` },
      { key: 'rowsIn', label: 'Rows in', numeric: true, cell: v => number(Number(v.rowsIn)) },
      { key: 'rowsOut', label: 'Rows out', numeric: true, cell: v => number(Number(v.rowsOut)) },
      { key: 'rowsQuarantined', label: 'Quarantined', numeric: true, cell: v => number(Number(v.rowsQuarantined)) },
      { key: 'createdAt', label: 'When', cell: v => html`<span title=${v.createdAt}>${when(v.createdAt)}</span>` },
      { key: 'ingestedBy', label: 'Who', cell: v => v.ingestedBy ?? '—' },
      { key: 'error', label: 'Error', cell: v => v.error ? html`<span class="bad">${v.error}</span>` : '' },
    ];
  }

  private renderVersions(versions: VersionInfo[]) {
    const newest = [...versions].reverse();
    const offset = Math.max(0, Number(this.query.get('offset') ?? 0) || 0);
    const page = newest.slice(offset, offset + PageSize);
    const selected = this.selectedVersion();
    const ready = newest.filter(v => v.status === 'Ready').map(v => String(v.version));
    const [a, b] = this.diff()?.map(String) ?? [ready[1] ?? '', ready[0] ?? ''];
    return html`<section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <data-table .columns=${this.versionColumns(selected)} .rows=${page} empty="No version yet."
        .rowClass=${(v: VersionInfo) => (Number(v.version) === selected ? 'selected' : '')}></data-table>
      ${newest.length > PageSize ? html`<page-pager .offset=${offset} .limit=${PageSize} .total=${newest.length} .count=${page.length}></page-pager>` : nothing}
      ${ready.length >= 2 ? html`<form class="compare" @submit=${this.compare} aria-label="Compare two versions">
        <div><label for="compare-a">Baseline</label>${this.versionSelect('compare-a', this.compareA || a, ready, v => (this.compareA = v))}</div>
        <div><label for="compare-b">Current</label>${this.versionSelect('compare-b', this.compareB || b, ready, v => (this.compareB = v))}</div>
        <button type="submit" class="secondary">Compare</button>
      </form>` : nothing}
    </section>`;
  }

  private versionSelect(id: string, value: string, options: string[], set: (v: string) => void) {
    return html`<select id=${id} .value=${value} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
      ${options.map(o => html`<option value=${o} ?selected=${o === value}>${o}</option>`)}
    </select>`;
  }

  private compare(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const a = (form.querySelector('#compare-a') as HTMLSelectElement).value;
    const b = (form.querySelector('#compare-b') as HTMLSelectElement).value;
    setQuery({ diff: `${a}..${b}`, version: null });
  }

  private renderDiff() {
    const d = this.diff();
    if (!d) return nothing;
    return html`<section aria-labelledby="diff-title">
      <h2 id="diff-title">Version ${d[0]} → ${d[1]}</h2>
      <p><a href=${this.page}>Close the comparison</a></p>
      <catalog-diff project=${this.params.project} dataset-name=${this.params.dataset} .baseline=${d[0]} .current=${d[1]}></catalog-diff>
    </section>`;
  }

  private renderVersion() {
    if (this.version.error) return html`<problem-alert .error=${this.version.error}></problem-alert>`;
    const v = this.version.value;
    if (!v) return nothing;
    const r = v.report;
    return html`<section aria-labelledby="version-title">
      <h2 id="version-title">Version ${v.version} <status-badge status=${v.status}></status-badge></h2>
      <dl class="facts">
        <dt>Format</dt><dd>${v.kind} · ${v.format} · <code>${v.contentType}</code> · ${bytes(Number(v.bytes))}</dd>
        ${v.fileName ? html`<dt>File</dt><dd>${v.fileName}</dd>` : nothing}
        <dt>Rows</dt><dd>${number(Number(v.rowsIn))} in, ${number(Number(v.rowsOut))} out, ${number(Number(v.rowsQuarantined))} quarantined</dd>
        <dt>Ingested</dt><dd>${when(v.createdAt)} by ${v.ingestedBy ?? '—'}${v.readyAt ? html`, ready ${when(v.readyAt)}` : nothing}</dd>
        ${v.source ? html`<dt>Source</dt><dd><code>${v.source}</code></dd>` : nothing}
        ${v.contentHash ? html`<dt>Content hash</dt><dd><code>${v.contentHash}</code></dd>` : nothing}
        ${v.error ? html`<dt>Error</dt><dd class="bad">${v.error}</dd>` : nothing}
        ${v.usedBy.length ? html`<dt>Used by</dt><dd>${v.usedBy.map((u, i) => html`${i ? ', ' : nothing}<a href=${href('/runs', u.runId)}>${u.runId}</a>${u.modelVersion !== null ? ` (model v${u.modelVersion})` : ''}`)}</dd>` : nothing}
      </dl>
      ${v.problems?.length ? html`<h3>Problems</h3><ul>${v.problems.map(p => html`<li>row ${p.row}, <code>${p.column}</code>: ${p.reason}</li>`)}</ul>` : nothing}
      ${r ? html`
        <h3>Rules</h3>
        ${r.rules?.length ? html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Rule</th><th scope="col">Result</th><th scope="col">Detail</th></tr></thead>
          <tbody>${r.rules.map(x => html`<tr><td>${x.rule}</td><td><status-badge status=${x.passed ? 'Passed' : 'Failed'}></status-badge></td><td>${x.detail}</td></tr>`)}</tbody>
        </table></div>` : html`<p class="muted">No rule ran.</p>`}
        ${r.cleaning ? html`<h3>Cleaning</h3>
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Trimmed cells</th><th scope="col">Missing tokens</th><th scope="col">Coerced cells</th><th scope="col">Duplicate rows</th><th scope="col">Duplicates removed</th><th scope="col">Key violations</th></tr></thead>
            <tbody><tr>${[r.cleaning.trimmedCells, r.cleaning.missingTokens, r.cleaning.coercedCells, r.cleaning.duplicateRows, r.cleaning.duplicatesRemoved, r.cleaning.keyViolations]
              .map(c => html`<td class="num">${number(Number(c))}</td>`)}</tr></tbody>
          </table></div>` : nothing}
        <h3>Columns</h3>
        <p class="muted">${r.profiles?.length ?? 0} columns; ingested in ${r.chunks} chunk${Number(r.chunks) === 1 ? '' : 's'} in ${number(Number(r.seconds), 3)} s.
          ${Number(r.rowsIn) ? html`Quarantined share: ${percent(Number(r.rowsQuarantined) / Number(r.rowsIn), 2)}.` : nothing}</p>
        <div class="profiles">${(r.profiles ?? []).map(p => html`<catalog-column-profile .profile=${p}></catalog-column-profile>`)}</div>`
        : v.status === 'Pending' ? html`<p class="muted">Still ingesting…</p>` : nothing}
      ${v.kind === 'tabular' || Number(v.rowsQuarantined) > 0 ? html`<h3 id="quarantine-title">Quarantined rows</h3>
        ${v.quarantineUrl && Number(v.rowsQuarantined) > 0
          ? html`<catalog-quarantine src=${v.quarantineUrl} .count=${Number(v.rowsQuarantined)}></catalog-quarantine>`
          : html`<p class="muted">No row was quarantined.</p>`}` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'dataset-page': DatasetPage; }
}
