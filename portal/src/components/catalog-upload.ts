// Uploads a file as a new dataset version: pick the project and the dataset's name, drop the file (or choose it),
// watch the bytes go (XMLHttpRequest's upload progress), then the answer: 201 Ready, 200 the same bytes as an
// existing version, 202 still ingesting (the version is polled until Ready or Failed), or the problem (422 data
// breaking the checks with errors by column, 400, 413, 415) shown with its fields.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, get, upload } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { bytes, number } from '../app/format.js';
import { shared } from '../styles/shared.js';
import './problem-alert.js';
import './status-badge.js';

type UploadView = Schemas['UploadView'];
type VersionView = Schemas['DatasetVersionView'];

/** The media type the API expects for a file: from its type, else from its extension. */
export function mediaType(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'text/csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'application/x-ndjson';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  return file.type || 'application/octet-stream';
}

const DatasetName = /^[a-z0-9][a-z0-9-]*$/;

@customElement('catalog-upload')
export class CatalogUpload extends LitElement {
  static styles = [shared, css`
    .drop { border: 2px dashed var(--o-border); border-radius: var(--o-radius); padding: 1.2rem; text-align: center; margin: 0.6rem 0; background: var(--o-bg); }
    .drop.over { border-color: var(--o-accent); background: var(--o-info-bg); }
    .fields { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
    .fields input, .fields select { width: 100%; }
    progress { width: 100%; height: 1rem; }
    .result { margin-top: 0.6rem; }
  `];

  /** Projects the caller can pick. */
  @property({ attribute: false }) projects: string[] = [];
  @property() project = '';

  @state() private datasetName = '';
  @state() private file: File | null = null;
  @state() private over = false;
  @state() private sent = 0;
  @state() private total = 0;
  @state() private busy = false;
  @state() private phase = '';
  @state() private error: unknown = null;
  @state() private result: VersionView | null = null;
  @state() private localError = '';
  private polling = false;

  disconnectedCallback() {
    super.disconnectedCallback();
    this.polling = false;
  }

  render() {
    const project = this.project || this.projects[0] || '';
    return html`<form class="card" @submit=${this.submit} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a file</h2>
      <div class="fields">
        <div>
          <label for="upload-project">Project</label>
          <select id="upload-project" .value=${project} @change=${(e: Event) => { this.project = (e.target as HTMLSelectElement).value; }}>
            ${this.projects.map(p => html`<option value=${p} ?selected=${p === project}>${p}</option>`)}
          </select>
        </div>
        <div>
          <label for="upload-dataset">Dataset name</label>
          <input id="upload-dataset" name="dataset" required pattern="[a-z0-9][a-z0-9\\-]*" autocomplete="off"
            aria-describedby="upload-dataset-hint" .value=${this.datasetName}
            @input=${(e: Event) => { this.datasetName = (e.target as HTMLInputElement).value.trim(); }}>
          <p id="upload-dataset-hint" class="muted">Lower-case letters, digits and hyphens.</p>
          ${this.fieldErrors('dataset')}
        </div>
      </div>
      <div class="drop ${this.over ? 'over' : ''}" data-testid="drop-zone"
        @dragover=${(e: DragEvent) => { e.preventDefault(); this.over = true; }}
        @dragleave=${() => { this.over = false; }}
        @drop=${this.dropped}>
        <p>Drop a file here (CSV, JSON, JSON Lines, Parquet, or any other file), or</p>
        <label for="upload-file" class="inline">Choose a file</label>
        <input id="upload-file" type="file" @change=${(e: Event) => this.pick((e.target as HTMLInputElement).files?.[0] ?? null)}>
        ${this.file ? html`<p>Selected: <strong>${this.file.name}</strong> (${bytes(this.file.size)}, ${mediaType(this.file)})</p>` : nothing}
      </div>
      ${this.fieldErrors('body')}
      ${this.localError ? html`<p class="field-error" role="alert">${this.localError}</p>` : nothing}
      <p><button type="submit" ?disabled=${this.busy || !this.file || !project}>Upload</button></p>
      ${this.busy || this.phase ? html`<div aria-live="polite">
        <label for="upload-progress">${this.phase || 'Uploading'}</label>
        <progress id="upload-progress" max=${this.total || 1} value=${this.sent}></progress>
        <span class="muted">${bytes(this.sent)} of ${bytes(this.total)}</span>
      </div>` : nothing}
      <problem-alert .error=${this.error}></problem-alert>
      ${this.renderResult(project)}
    </form>`;
  }

  private renderResult(project: string) {
    const v = this.result;
    if (!v) return nothing;
    const link = href('/catalog', v.project || project, v.dataset) + `?version=${v.version}`;
    return html`<div class="result" role="status">
      <p>Version <a href=${link}>${v.dataset}:${v.version}</a> <status-badge status=${v.status}></status-badge>
        ${v.existing ? html`<span class="muted">— these bytes were already this version</span>` : nothing}</p>
      ${v.status === 'Ready' ? html`<p>${number(Number(v.rowsOut))} rows curated, ${number(Number(v.rowsQuarantined))} quarantined, of ${number(Number(v.rowsIn))} received.</p>` : nothing}
      ${v.error ? html`<p class="field-error">${v.error}</p>` : nothing}
    </div>`;
  }

  private fieldErrors(field: string) {
    const messages = this.error instanceof ApiError ? this.error.field(field) : [];
    return messages.length ? messages.map(m => html`<p class="field-error">${m}</p>`) : nothing;
  }

  private dropped(event: DragEvent) {
    event.preventDefault();
    this.over = false;
    this.pick(event.dataTransfer?.files?.[0] ?? null);
  }

  private pick(file: File | null) {
    this.file = file;
    this.result = null;
    this.error = null;
    this.localError = '';
    if (file && !this.datasetName) {
      const guess = file.name.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      if (DatasetName.test(guess)) this.datasetName = guess;
    }
  }

  private async submit(event: Event) {
    event.preventDefault();
    const project = this.project || this.projects[0] || '';
    if (!this.file || !project) return;
    if (!DatasetName.test(this.datasetName)) {
      this.localError = 'The dataset name must be lower-case letters, digits and hyphens.';
      return;
    }
    this.localError = '';
    this.busy = true;
    this.error = null;
    this.result = null;
    this.sent = 0;
    this.total = this.file.size;
    this.phase = 'Uploading';
    const path = href('/api/projects', project, 'datasets', this.datasetName) + `?name=${encodeURIComponent(this.file.name)}`;
    try {
      const answer = await upload<UploadView>(path, this.file, mediaType(this.file), (sent, total) => { this.sent = sent; this.total = total; });
      this.sent = this.total;
      if ('statusUrl' in answer) {
        this.phase = 'Ingesting';
        this.result = await this.follow(answer.statusUrl);
      } else {
        this.result = answer;
      }
      this.phase = this.result ? 'Uploaded' : '';
      this.dispatchEvent(new CustomEvent('uploaded', { detail: this.result, bubbles: true, composed: true }));
    } catch (error) {
      this.error = error;
      this.phase = '';
    } finally {
      this.busy = false;
    }
  }

  /** Polls the version until it is no longer being ingested. */
  private async follow(url: string): Promise<VersionView | null> {
    this.polling = true;
    while (this.polling) {
      const version = await get<VersionView>(url);
      if (version.status !== 'Pending' && version.status !== 'Ingesting') return version;
      this.result = version;
      await new Promise(r => setTimeout(r, 1000));
    }
    return null;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-upload': CatalogUpload; }
}
