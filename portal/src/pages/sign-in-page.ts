// Sign-in. Locally, the development issuer's form: pick a user id, roles and groups, get a token (POST /api/dev/token)
// kept for this tab. On Azure, App Service authentication signs people in with the organisation's account.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { session } from '../app/session.js';
import { shared } from '../styles/shared.js';
import '../components/problem-alert.js';

const Roles = ['DataEngineer', 'DataScientist', 'MlEngineer', 'Approver', 'Reader', 'Auditor', 'Admin'];

/** Who the demo's people are, one click each. */
const People: { label: string; user: string; roles: string[] }[] = [
  { label: 'Data engineer', user: 'dana@example.com', roles: ['DataEngineer'] },
  { label: 'Data scientist', user: 'sam@example.com', roles: ['DataScientist'] },
  { label: 'SME (approver)', user: 'sme@example.com', roles: ['Approver'] },
  { label: 'ML engineer', user: 'mia@example.com', roles: ['MlEngineer'] },
  { label: 'Admin', user: 'admin@example.com', roles: ['Admin'] },
  { label: 'Reader', user: 'reed@example.com', roles: ['Reader'] },
];

@customElement('sign-in-page')
export class SignInPage extends LitElement {
  static styles = [shared, css`
    .card { max-width: 560px; margin: 2rem auto; }
    input[type='text'], input[type='email'] { width: 100%; }
    .people { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.5rem 0 0.75rem; }
    fieldset { border: 1px solid var(--o-border); border-radius: var(--o-radius); margin: 0.6rem 0; }
    legend { font-weight: 600; padding: 0 0.3rem; }
  `];

  params: Record<string, string> = {};
  query = new URLSearchParams();

  @state() private user = '';
  @state() private roles = new Set<string>();
  @state() private groups = '';
  @state() private error: unknown = null;
  @state() private developmentDisabled = false;
  @state() private busy = false;

  render() {
    const back = location.pathname === '/sign-in' ? '/' : location.pathname + location.search;
    return html`<div class="card">
      <h1>Sign in to Orchestrator</h1>
      <p class="muted">The ML lifecycle in one place: data, training runs, approvals, models in production, monitoring.</p>
      <p><a class="button secondary" href=${`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`}>Sign in with your organisation</a></p>
      ${this.developmentDisabled ? html`<p class="muted">Development sign-in is not enabled on this server.</p>` : html`
        <h2>Development sign-in</h2>
        <p class="muted">Only where the server's development issuer is enabled (<code>./run.sh</code>): pick who you are.</p>
        <div class="people" role="group" aria-label="People of the demo">
          ${People.map(p => html`<button type="button" class="secondary" @click=${() => this.pick(p.user, p.roles)}>${p.label}</button>`)}
        </div>
        <form @submit=${this.submit}>
          <label for="user">User id</label>
          <input id="user" name="user" type="email" autocomplete="username" required .value=${this.user}
            @input=${(e: Event) => (this.user = (e.target as HTMLInputElement).value)}>
          ${this.fieldErrors('user')}
          <fieldset><legend>Roles</legend>
            ${Roles.map(role => html`<label class="inline"><input type="checkbox" name="role" value=${role} .checked=${this.roles.has(role)}
              @change=${(e: Event) => this.toggle(role, (e.target as HTMLInputElement).checked)}>${role}</label>`)}
          </fieldset>
          ${this.fieldErrors('roles')}
          <label for="groups">Groups <span class="muted">(comma-separated, optional)</span></label>
          <input id="groups" name="groups" type="text" .value=${this.groups} @input=${(e: Event) => (this.groups = (e.target as HTMLInputElement).value)}>
          <p><button type="submit" ?disabled=${this.busy}>Sign in</button></p>
        </form>`}
      <problem-alert .error=${this.error}></problem-alert>
    </div>`;
  }

  private fieldErrors(field: string) {
    const messages = this.error instanceof ApiError ? this.error.field(field) : [];
    return messages.length ? messages.map(m => html`<p class="field-error">${m}</p>`) : nothing;
  }

  private pick(user: string, roles: string[]) {
    this.user = user;
    this.roles = new Set(roles);
  }

  private toggle(role: string, on: boolean) {
    const roles = new Set(this.roles);
    if (on) roles.add(role); else roles.delete(role);
    this.roles = roles;
  }

  private async submit(event: Event) {
    event.preventDefault();
    this.busy = true;
    this.error = null;
    try {
      const answer = await post<Schemas['DevelopmentTokenView']>('/api/dev/token', {
        user: this.user, roles: [...this.roles], groups: this.groups.split(',').map(g => g.trim()).filter(Boolean),
      });
      if (location.pathname === '/sign-in') history.replaceState(null, '', '/');
      await session.signInWithToken(answer.token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.developmentDisabled = true;
      else this.error = error;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'sign-in-page': SignInPage; }
}
