// Picks the project a page shows (models, monitoring): a labelled select that goes to `{base}/{project}`, from the
// projects the caller may read.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href, navigate } from '../app/router.js';
import { shared } from '../styles/shared.js';
import './problem-alert.js';

@customElement('ops-project-picker')
export class OpsProjectPicker extends LitElement {
  static styles = [shared];

  /** The page's path without the project (`/models`). */
  @property() base = '/models';
  @property() project = '';
  /** Show the projects as a list of links too (the page without a project). */
  @property({ type: Boolean }) list = false;

  private projects = new Loader(this, signal => get<Schemas['ProjectListView']>('/api/projects', undefined, signal));

  connectedCallback() {
    super.connectedCallback();
    void this.projects.load();
  }

  render() {
    const projects = this.projects.value?.projects ?? [];
    return html`
      <div class="row">
        <label class="inline" for="project">Project</label>
        <select id="project" @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; if (v) navigate(href(this.base, v)); }}>
          <option value="" ?selected=${!this.project}>Choose a project…</option>
          ${projects.map(p => html`<option value=${p.name} ?selected=${p.name === this.project}>${p.name}</option>`)}
        </select>
      </div>
      <problem-alert .error=${this.projects.error}></problem-alert>
      ${this.list ? (this.projects.loading && !this.projects.value ? html`<p class="muted">Loading projects…</p>`
        : projects.length === 0 ? html`<p class="muted">No project yet.</p>`
        : html`<ul>${projects.map(p => html`<li><a href=${href(this.base, p.name)}>${p.name}</a>
            <span class="muted">${p.task}, ${p.primaryMetric}${p.fourEyes ? ', four eyes' : ''}</span></li>`)}</ul>`) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'ops-project-picker': OpsProjectPicker; }
}
