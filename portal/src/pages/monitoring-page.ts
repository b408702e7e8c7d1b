// Monitoring: not drawn yet (its page is being built).
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { shared } from '../styles/shared.js';

@customElement('monitoring-page')
export class MonitoringPage extends LitElement {
  static styles = [shared];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  render() {
    return html`<h1>Monitoring</h1>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'monitoring-page': MonitoringPage; }
}
