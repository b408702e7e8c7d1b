// Ingests a file a source system left in the `landing` container (`POST .../datasets/{dataset}/ingest {"blob"}`),
// under the project's own prefix; the answer is the version (Ready, or followed until it is) or the problem.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { shared } from '../styles/shared.js';
import './problem-alert.js';
import './status-badge.js';

type UploadView = Schemas['UploadView'];
type VersionView = Schemas['DatasetVersionView'];

@customElement('catalog-ingest')
export class CatalogIngest extends LitElement {
  static styles = [shared, css`
    .fields { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
    .fields input, .fields select { width: 100%; }
  `];

  @property({ attribute: false }) projects: string[] = [];
  @property() project = '';

  @state() private datasetName = '';
  @state() private blob = '';
  @state() private busy = false;
  @state() private error: unknown = null;
  @state() private result: VersionView | null = null;

  render() {
    const project = this.project || this.projects[0] || '';
    return html`<form class="card" @submit=${this.submit} aria-labelledby="ingest-title">
      <h2 id="ingest-title">Ingest from the landing container</h2>
      <p class="muted">A file a source system wrote under <code>${project || '{project}'}/</code> in <code>landing</code>; the format comes from its extension.</p>
      <div class="fields">
        <div>
          <label for="ingest-project">Project</label>
          <select id="ingest-project" .value=${project} @change=${(e: Event) => { this.project = (e.target as HTMLSelectElement).value; }}>
            ${this.projects.map(p => html`<option value=${p} ?selected=${p === project}>${p}</option>`)}
          </select>
        </div>
        <div>
          <label for="ingest-dataset">Dataset name</label>
          <input id="ingest-dataset" required autocomplete="off" .value=${this.datasetName}
            @input=${(e: Event) => { this.datasetName = (e.target as HTMLInputElement).value.trim(); }}>
        </div>
        <div>
          <label for="ingest-blob">Blob path</label>
          <input id="ingest-blob" required autocomplete="off" placeholder=${`${project || 'project'}/erp/file.csv`} .value=${this.blob}
            @input=${(e: Event) => { this.blob = (e.target as HTMLInputElement).value.trim(); }}>
          ${this.fieldErrors('blob')}
        </div>
      </div>
      <p><button type="submit" ?disabled=${this.busy || !project}>Ingest</button></p>
      <problem-alert .error=${this.error}></problem-alert>
      ${this.result ? html`<p role="status">Version <a href=${href('/catalog', this.result.project, this.result.dataset) + `?version=${this.result.version}`}>${this.result.dataset}:${this.result.version}</a>
        <status-badge status=${this.result.status}></status-badge></p>` : nothing}
    </form>`;
  }

  private fieldErrors(field: string) {
    const messages = this.error instanceof ApiError ? this.error.field(field) : [];
    return messages.length ? messages.map(m => html`<p class="field-error">${m}</p>`) : nothing;
  }

  private async submit(event: Event) {
    event.preventDefault();
    const project = this.project || this.projects[0] || '';
    this.busy = true;
    this.error = null;
    this.result = null;
    try {
      let answer: UploadView = await post<UploadView>(href('/api/projects', project, 'datasets', this.datasetName, 'ingest'), { blob: this.blob });
      while ('statusUrl' in answer || answer.status === 'Pending') {
        await new Promise(r => setTimeout(r, 1000));
        answer = await get<VersionView>('statusUrl' in answer ? answer.statusUrl : href('/api/projects', project, 'datasets', this.datasetName, 'versions', String(answer.version)));
      }
      this.result = answer;
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-ingest': CatalogIngest; }
}
