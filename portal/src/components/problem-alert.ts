// Shows what went wrong: the API's problem (title, detail, errors by field), a 403's missing role, or any error.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ApiError } from '../api/client.js';
import { shared } from '../styles/shared.js';

@customElement('problem-alert')
export class ProblemAlert extends LitElement {
  static styles = [shared, css`
    :host { display: block; margin: 0.75rem 0; }
    .alert { border: 1px solid #f3b8b2; background: var(--o-bad-bg); color: var(--o-bad); border-radius: var(--o-radius); padding: 0.6rem 0.8rem; }
    .alert strong { display: block; }
    ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }
  `];

  @property({ attribute: false }) error: unknown = null;

  render() {
    if (!this.error) return nothing;
    const e = this.error;
    if (e instanceof ApiError) {
      const fields = Object.entries(e.errors);
      return html`<div class="alert" role="alert">
        <strong>${e.status === 403 ? 'Not allowed' : e.title}${e.status ? html` <span class="mono">(${e.status})</span>` : nothing}</strong>
        ${e.detail ? html`<span>${e.detail}</span>` : nothing}
        ${fields.length ? html`<ul>${fields.map(([field, messages]) => html`<li><code>${field}</code>: ${messages.join(' ')}</li>`)}</ul>` : nothing}
      </div>`;
    }
    return html`<div class="alert" role="alert"><strong>Something went wrong</strong>${String((e as Error).message ?? e)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'problem-alert': ProblemAlert; }
}
