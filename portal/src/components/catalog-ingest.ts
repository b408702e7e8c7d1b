// Ingests a file a source system left in the `landing` container (`POST .../datasets/{dataset}/ingest {"blob"}`),
// under the project's own prefix. While the server reads and ingests it the form says so; the answer is the version
// (Ready with its rows, or followed until it is), or the problem: a bad name or path, or a blob that is not there, at
// its field; data breaking the checks (422, errors by column) in the alert.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { shared } from '../styles/shared.js';
import { followVersion } from './catalog-version-result.js';
import './catalog-version-result.js';
import './problem-alert.js';

type UploadView = Schemas['UploadView'];
type VersionView = Schemas['DatasetVersionView'];

@customElement('catalog-ingest')
export class CatalogIngest extends LitElement {
  static styles = [shared, css`
    .fields { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
    .fields input, .fields select { width: 100%; }
    progress { width: 100%; height: 1rem; }
  `];

  @property({ attribute: false }) projects: string[] = [];
  @property() project = '';

  @state() private datasetName = '';
  @state() private blob = '';
  @state() private phase = '';
  @state() private error: unknown = null;
  @state() private result: VersionView | null = null;
  render() {
    const project = this.project || this.projects[0] || '';
    const busy = this.phase !== '';
    return html`<form class="card" @submit=${this.submit} aria-labelledby="ingest-title" aria-busy=${busy ? 'true' : 'false'}>
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
          <input id="ingest-dataset" required pattern="[a-z0-9][a-z0-9\\-]*" autocomplete="off" .value=${this.datasetName}
            aria-describedby="ingest-dataset-hint ingest-dataset-errors" aria-invalid=${this.invalid('dataset')}
            @input=${(e: Event) => { this.datasetName = (e.target as HTMLInputElement).value.trim(); }}>
          <p id="ingest-dataset-hint" class="muted">Lower-case letters, digits and hyphens.</p>
          <div id="ingest-dataset-errors">${this.fieldErrors('dataset')}</div>
        </div>
        <div>
          <label for="ingest-blob">Blob path</label>
          <input id="ingest-blob" required autocomplete="off" placeholder=${`${project || 'project'}/erp/file.csv`} .value=${this.blob}
            aria-describedby="ingest-blob-hint ingest-blob-errors" aria-invalid=${this.invalid('blob')}
            @input=${(e: Event) => { this.blob = (e.target as HTMLInputElement).value.trim(); }}>
          <p id="ingest-blob-hint" class="muted">Inside <code>landing</code>, starting with <code>${project || '{project}'}/</code>.</p>
          <div id="ingest-blob-errors">${this.fieldErrors('blob')}</div>
        </div>
      </div>
      <p><button type="submit" ?disabled=${busy || !project}>Ingest</button></p>
      ${busy ? html`<div aria-live="polite">
        <label for="ingest-progress">${this.phase}</label>
        <progress id="ingest-progress"></progress>
      </div>` : nothing}
      <problem-alert .error=${this.error}></problem-alert>
      <catalog-version-result .version=${this.result} project=${project}></catalog-version-result>
    </form>`;
  }

  /** The messages for one field: the API's errors at it, and for the path a blob that is not in the container. */
  private messages(field: string): string[] {
    if (!(this.error instanceof ApiError)) return [];
    const messages = this.error.field(field);
    // The 404 for a missing blob has no field of its own ("Project not found" is the other 404), but it is about the path.
    if (field === 'blob' && this.error.status === 404 && this.error.title === 'Blob not found') messages.push(this.error.detail);
    return messages;
  }

  private invalid(field: string) {
    return this.messages(field).length > 0 ? 'true' : 'false';
  }

  private fieldErrors(field: string) {
    const messages = this.messages(field);
    return messages.length ? messages.map(m => html`<p class="field-error">${m}</p>`) : nothing;
  }

  private async submit(event: Event) {
    event.preventDefault();
    const project = this.project || this.projects[0] || '';
    if (!project) return;
    this.error = null;
    this.result = null;
    this.phase = `Reading landing/${this.blob} and ingesting it`;
    try {
      const answer = await post<UploadView>(href('/api/projects', project, 'datasets', this.datasetName, 'ingest'), { blob: this.blob });
      if ('statusUrl' in answer) {
        this.phase = `Ingesting ${this.datasetName}:${answer.version}`;
        this.result = await followVersion(answer.statusUrl, version => { this.result = version; }, () => this.isConnected);
      } else {
        this.result = answer;
      }
      if (this.result) this.dispatchEvent(new CustomEvent('uploaded', { detail: this.result, bubbles: true, composed: true }));
    } catch (error) {
      this.error = error;
    } finally {
      this.phase = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-ingest': CatalogIngest; }
}
