// Edits a dataset's catalog entry (`PATCH .../datasets/{dataset}`): owner, description, tags, who may read it
// (`restrictedTo`) and its declared expectations (JSON). Only the fields that changed are sent (fields given
// replace); a 400's field errors appear next to their field, a 403 (not the owner, for owner or restrictedTo) above.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, patch } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { shared } from '../styles/shared.js';
import './problem-alert.js';

type Detail = Schemas['DatasetEntryViewDatasetDetailView'];
type Patch = Partial<Schemas['DatasetPatch']>;

const Fields = ['owner', 'description', 'tags', 'restrictedTo', 'expectations'];
const list = (text: string) => text.split(',').map(t => t.trim()).filter(Boolean);
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

@customElement('catalog-metadata-form')
export class CatalogMetadataForm extends LitElement {
  static styles = [shared, css`
    input[type='text'] { width: 100%; }
    .actions { display: flex; gap: 0.5rem; margin-top: 0.8rem; }
  `];

  @property({ attribute: false }) entry: Detail | null = null;

  @state() private owner = '';
  @state() private description = '';
  @state() private tags = '';
  @state() private restrictedTo = '';
  @state() private expectations = '';
  @state() private error: unknown = null;
  @state() private jsonError = '';
  @state() private busy = false;

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('entry') && this.entry) this.reset();
  }

  private reset() {
    const e = this.entry!;
    this.owner = e.owner ?? '';
    this.description = e.description ?? '';
    this.tags = e.tags.join(', ');
    this.restrictedTo = (e.restrictedTo ?? []).join(', ');
    this.expectations = e.expectations ? JSON.stringify(e.expectations, null, 2) : '';
    this.error = null;
    this.jsonError = '';
  }

  render() {
    if (!this.entry) return nothing;
    return html`<form @submit=${this.submit} aria-labelledby="edit-title" novalidate>
      <h3 id="edit-title">Edit the catalog entry</h3>
      <problem-alert .error=${this.unplaced() ? this.error : null}></problem-alert>
      ${this.error instanceof ApiError && !this.unplaced() ? html`<p class="field-error" role="alert">${this.error.title}: see the fields below.</p>` : nothing}
      ${this.text('owner', 'Owner', this.owner, v => (this.owner = v))}
      ${this.text('description', 'Description', this.description, v => (this.description = v))}
      ${this.text('tags', 'Tags (comma-separated)', this.tags, v => (this.tags = v))}
      ${this.text('restrictedTo', 'Restricted to (user ids and group:{name}, comma-separated; empty lifts it)', this.restrictedTo, v => (this.restrictedTo = v))}
      <label for="edit-expectations">Expectations (JSON)</label>
      <textarea id="edit-expectations" rows="10" aria-describedby="edit-expectations-errors" .value=${this.expectations}
        @input=${(e: Event) => { this.expectations = (e.target as HTMLTextAreaElement).value; }}></textarea>
      <div id="edit-expectations-errors">${this.jsonError ? html`<p class="field-error">${this.jsonError}</p>` : nothing}${this.fieldErrors('expectations')}</div>
      <div class="actions">
        <button type="submit" ?disabled=${this.busy}>Save</button>
        <button type="button" class="secondary" @click=${() => { this.reset(); this.dispatchEvent(new Event('cancel')); }}>Cancel</button>
      </div>
    </form>`;
  }

  private text(name: string, label: string, value: string, set: (v: string) => void) {
    const id = `edit-${name}`;
    return html`<label for=${id}>${label}</label>
      <input id=${id} type="text" autocomplete="off" aria-describedby=${`${id}-errors`} .value=${value}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}>
      <div id=${`${id}-errors`}>${this.fieldErrors(name)}</div>`;
  }

  /** Whether the error is not (only) about the form's fields, so it is shown whole above them. */
  private unplaced(): boolean {
    if (!this.error) return false;
    if (!(this.error instanceof ApiError)) return true;
    const keys = Object.keys(this.error.errors);
    return keys.length === 0 || keys.some(k => !Fields.some(f => k === f || k.startsWith(f + '.') || k.startsWith(f + '[')));
  }

  private fieldErrors(field: string) {
    const messages = this.error instanceof ApiError ? this.error.field(field) : [];
    return messages.map(m => html`<p class="field-error">${m}</p>`);
  }

  private async submit(event: Event) {
    event.preventDefault();
    const e = this.entry!;
    const body: Patch = {};
    if (this.owner.trim() !== (e.owner ?? '')) body.owner = this.owner.trim();
    if (this.description.trim() !== (e.description ?? '')) body.description = this.description.trim();
    if (!same(list(this.tags), e.tags)) body.tags = list(this.tags);
    if (!same(list(this.restrictedTo), e.restrictedTo ?? [])) body.restrictedTo = list(this.restrictedTo);
    const before = e.expectations ? JSON.stringify(e.expectations) : '';
    this.jsonError = '';
    if (this.expectations.trim()) {
      try {
        const parsed = JSON.parse(this.expectations) as Schemas['DatasetExpectations'];
        if (JSON.stringify(parsed) !== before) body.expectations = parsed;
      } catch (error) {
        this.jsonError = `Not valid JSON: ${(error as Error).message}`;
        return;
      }
    }
    if (Object.keys(body).length === 0) { this.dispatchEvent(new Event('cancel')); return; }
    this.busy = true;
    this.error = null;
    try {
      const info = await patch<Schemas['DatasetInfo']>(href('/api/projects', e.project, 'datasets', e.dataset), body);
      this.dispatchEvent(new CustomEvent('saved', { detail: info, bubbles: true, composed: true }));
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-metadata-form': CatalogMetadataForm; }
}
