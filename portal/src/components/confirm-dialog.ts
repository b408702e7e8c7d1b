// Asks before an action that changes something others rely on (promote, rollback, cancel, revoke): a modal dialog
// with what will happen and, when asked for, a required reason that is sent with the action and kept in the history.
// `await dialog.ask({...})` answers the reason ('' when none was asked) or null when the person cancelled.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { shared } from '../styles/shared.js';

export interface Confirmation {
  title: string;
  message: string;
  confirm: string;
  /** Ask for a reason (required before confirming). */
  reason?: boolean;
  danger?: boolean;
}

@customElement('confirm-dialog')
export class ConfirmDialog extends LitElement {
  static styles = [shared, css`
    dialog { border: 1px solid var(--o-border); border-radius: var(--o-radius); padding: 1.2rem; max-width: 32rem; width: calc(100% - 2rem); }
    dialog::backdrop { background: rgb(0 0 0 / 35%); }
    .actions { display: flex; gap: 0.5rem; justify-content: flex-end; margin-top: 1rem; }
  `];

  @state() private asked: Confirmation | null = null;
  @state() private reason = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  private resolve: ((value: string | null) => void) | null = null;

  async ask(confirmation: Confirmation): Promise<string | null> {
    this.asked = confirmation;
    this.reason = '';
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise(resolve => { this.resolve = resolve; });
  }

  private close(value: string | null) {
    this.dialog.close();
    this.resolve?.(value);
    this.resolve = null;
  }

  render() {
    const a = this.asked;
    return html`<dialog aria-labelledby="confirm-title" @cancel=${(e: Event) => { e.preventDefault(); this.close(null); }}>
      ${a ? html`
        <h2 id="confirm-title">${a.title}</h2>
        <p>${a.message}</p>
        ${a.reason ? html`<label for="reason">Reason</label>
          <textarea id="reason" rows="3" required .value=${this.reason} @input=${(e: Event) => { this.reason = (e.target as HTMLTextAreaElement).value; }}></textarea>` : nothing}
        <div class="actions">
          <button type="button" class="secondary" @click=${() => this.close(null)}>Cancel</button>
          <button type="button" class=${a.danger ? 'danger' : ''} ?disabled=${a.reason === true && this.reason.trim() === ''}
            @click=${() => this.close(a.reason ? this.reason.trim() : '')}>${a.confirm}</button>
        </div>` : nothing}
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'confirm-dialog': ConfirmDialog; }
}
