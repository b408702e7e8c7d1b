// A status as a coloured badge with its text (never colour alone): Completed, Failed, AwaitingApproval, Ready, …
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { shared } from '../styles/shared.js';

const Tones: Record<string, string> = {
  completed: 'ok', ready: 'ok', approved: 'ok', healthy: 'ok', succeeded: 'ok', production: 'ok', passed: 'ok', delivered: 'ok',
  failed: 'bad', rejected: 'bad', cancelled: 'bad', canceled: 'bad', terminated: 'bad', expired: 'bad', drift: 'bad', error: 'bad',
  quarantined: 'warn', awaitingapproval: 'warn', pending: 'warn', staging: 'warn', escalated: 'warn', retrying: 'warn',
};

@customElement('status-badge')
export class StatusBadge extends LitElement {
  static styles = [shared];

  @property() status = '';

  render() {
    const tone = Tones[this.status.toLowerCase()] ?? 'info';
    return html`<span class="badge ${tone}">${this.status.replace(/([a-z])([A-Z])/g, '$1 $2')}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'status-badge': StatusBadge; }
}
