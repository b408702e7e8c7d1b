// Projects: the ones the caller may read (GET /api/projects), each linking to its page; a new project is named here
// and defined on its page (the editor PUTs it).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href, navigate } from '../app/router.js';
import { session } from '../app/session.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import '../components/data-table.js';
import '../components/problem-alert.js';

type Project = Schemas['ProjectSummaryView'];

const NamePattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

@customElement('projects-page')
export class ProjectsPage extends LitElement {
  static styles = [shared, css`
    form { max-width: 32rem; }
    form input { width: 100%; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private name = '';
  @state() private nameError = '';

  private projects = new Loader(this, signal => get<Schemas['ProjectListView']>('/api/projects', undefined, signal));

  connectedCallback() {
    super.connectedCallback();
    void this.projects.load();
  }

  private columns: Column<Project>[] = [
    { key: 'name', label: 'Project', sortable: true, cell: p => html`<a href=${href('/projects', p.name)}>${p.name}</a>` },
    { key: 'task', label: 'Task', sortable: true },
    { key: 'label', label: 'Label' },
    { key: 'primaryMetric', label: 'Primary metric' },
    { key: 'approvers', label: 'Approvers', cell: p => p.approvers.join(', ') },
    { key: 'fourEyes', label: 'Four eyes', cell: p => (p.fourEyes ? 'Yes' : 'No') },
  ];

  render() {
    const list = this.projects.value?.projects ?? [];
    return html`<h1>Projects</h1>
      <p class="muted">Each project defines a task, its label, the metric that ranks candidates, the KPIs a model must meet and who approves it.</p>
      <problem-alert .error=${this.projects.error}></problem-alert>
      ${this.projects.loading && !this.projects.value ? html`<p class="muted">Loading…</p>` : html`
        <data-table .columns=${this.columns} .rows=${list} sort="name"
          empty="No project yet."></data-table>`}
      ${session.can('ProjectWrite') ? html`
        <h2>New project</h2>
        <form @submit=${this.create} novalidate>
          <label for="new-name">Name <span class="muted">(lower case, digits and dashes)</span></label>
          <input id="new-name" type="text" required autocomplete="off" .value=${this.name}
            aria-invalid=${this.nameError ? 'true' : 'false'} aria-describedby=${this.nameError ? 'new-name-error' : nothing}
            @input=${(e: Event) => { this.name = (e.target as HTMLInputElement).value; this.nameError = ''; }}>
          ${this.nameError ? html`<p id="new-name-error" class="field-error">${this.nameError}</p>` : nothing}
          <p><button type="submit">Define the project</button></p>
        </form>` : nothing}`;
  }

  private create(event: Event) {
    event.preventDefault();
    const name = this.name.trim();
    if (!NamePattern.test(name)) { this.nameError = 'Use 2–63 lower-case letters, digits or dashes, starting with a letter or digit.'; return; }
    if ((this.projects.value?.projects ?? []).some(p => p.name === name)) { this.nameError = `'${name}' exists already.`; return; }
    navigate(href('/projects', name) + '?new=1');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'projects-page': ProjectsPage; }
}
