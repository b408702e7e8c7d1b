// Catalog: every dataset the caller may see, searched across projects by name/description/tags (`q`), column, tag
// and project (`GET /api/datasets`, by project then name, a page at a time on the server), the filters in the URL so Back and shared links keep them. Data engineers
// (DatasetIngest) also upload a file with a progress bar, or ingest one a source system left in `landing`.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href, setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { ago, when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import '../components/data-table.js';
import '../components/page-pager.js';
import '../components/problem-alert.js';
import '../components/catalog-upload.js';
import '../components/catalog-ingest.js';

type Entry = Schemas['CatalogEntryView'];
type Search = Schemas['CatalogSearchView'];

const Filters = ['q', 'column', 'tag', 'project'] as const;
const PageSize = 50;

@customElement('catalog-page')
export class CatalogPage extends LitElement {
  static styles = [shared, css`
    form.search { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); align-items: end; }
    form.search input { width: 100%; }
    form.search .actions { display: flex; gap: 0.5rem; padding-bottom: 0.1rem; }
    .tags { display: flex; gap: 0.25rem; flex-wrap: wrap; }
    .section { margin-top: 1.5rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private draft: Record<string, string> = {};

  private results = new Loader<Search>(this, signal => {
    const filters: Record<string, string> = {};
    for (const f of Filters) filters[f] = this.query.get(f) ?? '';
    return get<Search>('/api/datasets', { ...filters, offset: this.query.get('offset') ?? '', limit: String(PageSize) }, signal);
  });

  private projects = new Loader<string[]>(this, async signal =>
    (await get<Schemas['ProjectListView']>('/api/projects', undefined, signal)).projects.map(p => p.name).filter(p => session.can('DatasetIngest', p)));

  private lastSearch = '';

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('query')) {
      const key = [...Filters, 'offset'].map(f => this.query.get(f) ?? '').join('\u0000');
      if (key !== this.lastSearch) {
        this.lastSearch = key;
        this.draft = Object.fromEntries(Filters.map(f => [f, this.query.get(f) ?? '']));
        void this.results.load();
      }
    }
  }

  connectedCallback() {
    super.connectedCallback();
    if (session.can('DatasetIngest')) void this.projects.load();
  }

  private columns: Column<Entry>[] = [
    { key: 'project', label: 'Project', cell: e => html`<a href=${`/catalog?project=${encodeURIComponent(e.project)}`}>${e.project}</a>` },
    { key: 'dataset', label: 'Dataset', cell: e => html`<a href=${href('/catalog', e.project, e.dataset)}>${e.dataset}</a>
      ${e.restricted ? html` <span class="badge warn">Restricted</span>` : nothing}` },
    { key: 'description', label: 'Description', cell: e => e.description ?? '' },
    { key: 'owner', label: 'Owner', cell: e => e.owner ?? '—' },
    { key: 'tags', label: 'Tags', cell: e => html`<span class="tags">${e.tags.map(t => html`<a class="badge info" href=${`/catalog?tag=${encodeURIComponent(t)}`}>${t}</a>`)}</span>` },
    { key: 'kind', label: 'Kind' },
    { key: 'latestVersion', label: 'Versions', numeric: true, value: e => Number(e.latestVersion ?? 0), cell: e => e.latestVersion === null ? '0' : String(e.latestVersion) },
    { key: 'updatedAt', label: 'Updated', cell: e => html`<span title=${when(e.updatedAt)}>${ago(e.updatedAt)}</span>` },
  ];

  render() {
    const found = this.results.value;
    const rows = found?.datasets ?? [];
    const total = found ? Number(found.count) : 0;
    const canIngest = session.can('DatasetIngest');
    return html`
      <h1>Catalog</h1>
      <form class="search" role="search" aria-label="Search the catalog" @submit=${this.search}>
        ${this.input('q', 'Name, description or tag')}
        ${this.input('column', 'Column')}
        ${this.input('tag', 'Tag')}
        ${this.input('project', 'Project')}
        <div class="actions">
          <button type="submit">Search</button>
          <button type="button" class="secondary" @click=${this.clear}>Clear</button>
        </div>
      </form>
      <problem-alert .error=${this.results.error}></problem-alert>
      <h2 id="results-title">${this.results.loading && !found ? 'Searching…' : `${total} dataset${total === 1 ? '' : 's'}`}</h2>
      <data-table .columns=${this.columns} .rows=${rows}
        empty="No dataset matches these filters."></data-table>
      ${found && total > rows.length ? html`<page-pager .offset=${Number(found.offset)} .limit=${Number(found.limit)} .total=${total} .count=${rows.length}></page-pager>` : nothing}
      ${canIngest ? html`<div class="section">
        <catalog-upload .projects=${this.projects.value ?? []} project=${this.query.get('project') ?? ''}
          @uploaded=${() => void this.results.load({ quiet: true })}></catalog-upload>
        <problem-alert .error=${this.projects.error}></problem-alert>
      </div>
      <div class="section">
        <catalog-ingest .projects=${this.projects.value ?? []} project=${this.query.get('project') ?? ''}
          @uploaded=${() => void this.results.load({ quiet: true })}></catalog-ingest>
      </div>` : nothing}`;
  }

  private input(name: string, label: string) {
    return html`<div>
      <label for=${`filter-${name}`}>${label}</label>
      <input id=${`filter-${name}`} name=${name} type="search" autocomplete="off" .value=${this.draft[name] ?? ''}
        @input=${(e: Event) => { this.draft = { ...this.draft, [name]: (e.target as HTMLInputElement).value }; }}>
    </div>`;
  }

  private search(event: Event) {
    event.preventDefault();
    setQuery({ ...Object.fromEntries(Filters.map(f => [f, this.draft[f]?.trim() ?? ''])), offset: null });
  }

  private clear() {
    this.draft = {};
    setQuery(Object.fromEntries([...Filters, 'offset'].map(f => [f, null])));
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-page': CatalogPage; }
}
