// Access (Admin): the grants that scope a role to a project and an environment — filtered by principal and project
// in the URL — a form to grant one, and revoke behind a confirmation.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, del, get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { ConfirmDialog } from '../components/confirm-dialog.js';
import type { Column } from '../components/data-table.js';
import '../components/confirm-dialog.js';
import '../components/data-table.js';
import '../components/problem-alert.js';

type Grant = Schemas['GrantView'];
const Roles = ['DataEngineer', 'DataScientist', 'MlEngineer', 'Approver', 'Reader', 'Auditor', 'Admin'];
const Fields = ['principal', 'role', 'project', 'environment'] as const;

@customElement('access-page')
export class AccessPage extends LitElement {
  static styles = [shared, css`
    form.grid-form { display: grid; gap: 0.5rem 1rem; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); align-items: start; }
    form.grid-form label { margin: 0 0 0.2rem; }
    form.grid-form input, form.grid-form select { width: 100%; }
    .submit { align-self: end; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private formError: unknown = null;
  @state() private actionError: unknown = null;
  @state() private outcome = '';
  @state() private busy = false;
  @query('confirm-dialog') private dialog!: ConfirmDialog;

  private grants = new Loader<Schemas['GrantsView']>(this, signal =>
    get<Schemas['GrantsView']>('/api/access', { principal: this.query.get('principal'), project: this.query.get('project') }, signal));
  private loaded: string | null = null;

  willUpdate() {
    const current = this.query.toString();
    if (current !== this.loaded && session.can('AccessAdmin')) {
      this.loaded = current;
      void this.grants.load();
    }
  }

  render() {
    if (!session.can('AccessAdmin')) return html`<h1>Access</h1><p>Managing access needs the Admin role in every project.</p>`;
    const q = this.query;
    return html`<h1>Access</h1>
      <h2>Grant a role</h2>
      <p class="muted">A grant holds a role in one project (or <code>*</code>) and environment (<code>staging</code>, <code>production</code> or <code>*</code>)
        for a user id, <code>group:{name}</code> or <code>app:{id}</code>.</p>
      <form class="grid-form" @submit=${this.grant}>
        <div><label for="grant-principal">Principal</label><input id="grant-principal" name="principal" required placeholder="ulla@contoso.com">${this.fieldErrors('principal')}</div>
        <div><label for="grant-role">Role</label><select id="grant-role" name="role">${Roles.map(r => html`<option value=${r}>${r}</option>`)}</select>${this.fieldErrors('role')}</div>
        <div><label for="grant-project">Project</label><input id="grant-project" name="project" required value="*">${this.fieldErrors('project')}</div>
        <div><label for="grant-environment">Environment</label><select id="grant-environment" name="environment">
          ${['*', 'staging', 'production'].map(e => html`<option value=${e}>${e}</option>`)}</select>${this.fieldErrors('environment')}</div>
        <div class="submit"><button type="submit" ?disabled=${this.busy}>Grant</button></div>
      </form>
      ${this.formError instanceof ApiError && Object.keys(this.formError.errors).length ? nothing : html`<problem-alert .error=${this.formError}></problem-alert>`}
      ${this.outcome ? html`<p role="status">${this.outcome}</p>` : nothing}

      <h2>Grants</h2>
      <form class="grid-form" role="search" aria-label="Grant filters" @submit=${this.filter}>
        <div><label for="filter-principal">Principal</label><input id="filter-principal" name="principal" .value=${q.get('principal') ?? ''}></div>
        <div><label for="filter-project">Project</label><input id="filter-project" name="project" .value=${q.get('project') ?? ''}></div>
        <div class="submit"><button type="submit" class="secondary">Filter</button></div>
      </form>
      <problem-alert .error=${this.actionError}></problem-alert>
      <problem-alert .error=${this.grants.error}></problem-alert>
      ${this.grants.loading && !this.grants.value ? html`<p class="muted">Loading…</p>` : nothing}
      <section aria-label="Grants"><data-table .columns=${this.columns()} .rows=${this.grants.value?.grants ?? []} empty="No grant matches."></data-table></section>
      <confirm-dialog></confirm-dialog>`;
  }

  private fieldErrors(field: string) {
    const messages = this.formError instanceof ApiError ? this.formError.field(field) : [];
    return messages.map(m => html`<p class="field-error">${m}</p>`);
  }

  private columns(): Column<Grant>[] {
    return [
      { key: 'principal', label: 'Principal', sortable: true },
      { key: 'role', label: 'Role', sortable: true },
      { key: 'project', label: 'Project', sortable: true },
      { key: 'environment', label: 'Environment', sortable: true },
      { key: 'grantedBy', label: 'Granted by', cell: g => g.grantedBy ?? '—' },
      { key: 'grantedAt', label: 'Granted', sortable: true, cell: g => (g.grantedAt ? html`<span title=${g.grantedAt}>${when(g.grantedAt)}</span>` : '—') },
      { key: 'revoke', label: 'Revoke', cell: g => html`<button type="button" class="secondary" ?disabled=${this.busy}
        aria-label=${`Revoke ${g.role} of ${g.principal} in ${g.project}/${g.environment}`} @click=${() => this.revoke(g)}>Revoke</button>` },
    ];
  }

  private filter(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim() || null;
    setQuery({ principal: value('principal'), project: value('project') });
  }

  private async grant(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = Object.fromEntries(Fields.map(f => [f, (form.elements.namedItem(f) as HTMLInputElement).value.trim()])) as Schemas['GrantRequest'];
    this.busy = true;
    this.formError = null;
    this.outcome = '';
    try {
      const answer = await post<Schemas['GrantAddedView']>('/api/access', body);
      const g = answer.grant;
      this.outcome = answer.existing ? `${g.principal} already holds ${g.role} in ${g.project}/${g.environment}.` : `Granted ${g.role} to ${g.principal} in ${g.project}/${g.environment}.`;
      (form.elements.namedItem('principal') as HTMLInputElement).value = '';
      await this.grants.load({ quiet: true });
    } catch (error) {
      this.formError = error;
    } finally {
      this.busy = false;
    }
  }

  private async revoke(g: Grant) {
    const answer = await this.dialog.ask({
      title: 'Revoke this grant?',
      message: `${g.principal} loses ${g.role} in project ${g.project}, environment ${g.environment} (other instances within 5 s).`,
      confirm: 'Revoke', danger: true,
    });
    if (answer === null) return;
    this.busy = true;
    this.actionError = null;
    this.outcome = '';
    try {
      await del('/api/access', { principal: g.principal, role: g.role, project: g.project, environment: g.environment });
      this.outcome = `Revoked ${g.role} of ${g.principal} in ${g.project}/${g.environment}.`;
      await this.grants.load({ quiet: true });
    } catch (error) {
      this.actionError = error;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'access-page': AccessPage; }
}
