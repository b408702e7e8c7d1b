// A project's definition: form fields for the common parts (task, label, primary metric, KPIs, approvers, quorum) and
// the whole definition as JSON for everything else, kept in step. Saving PUTs it; the API's 400 names each problem's
// field (`primaryMetric`, `kpis[0].metric`), and the message appears next to that field. Fires `saved` (detail: the
// ProjectView) after a successful PUT.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, put } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { shared } from '../styles/shared.js';
import { MetricsByTask, Tasks } from './project-metrics.js';
import './problem-alert.js';

type Definition = Schemas['ProjectDefinition'];
type Kpi = Schemas['Kpi'];

/** The definition a new project starts from. */
export function newDefinition(): Definition {
  return { task: 'multiclass', label: '', primaryMetric: 'microAccuracy', kpis: [{ metric: 'microAccuracy', min: 0.7 }], approvers: [], quorum: 1 };
}

/** A project as the API answers it, as a definition to PUT back (its name is the URL's, not the body's). */
export function definitionOf(view: Schemas['ProjectView']): Definition {
  const { name: _name, ...rest } = view;
  const definition: Definition = { ...rest };
  // The view lists the effective candidates; with a search space they are its expansion, not a list to pin.
  if (view.searchSpace) delete definition.candidates;
  return definition;
}

/** The form's fields and the error keys each one shows. */
const PlacedFields = ['task', 'label', 'primaryMetric', 'approvers', 'quorum'];

@customElement('project-editor')
export class ProjectEditor extends LitElement {
  static styles = [shared, css`
    .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0 1rem; }
    .fields input, .fields select, #approvers { width: 100%; }
    fieldset { border: 1px solid var(--o-border); border-radius: var(--o-radius); margin: 0.8rem 0; padding: 0.4rem 0.8rem 0.8rem; }
    legend { font-weight: 600; padding: 0 0.3rem; }
    .kpi { display: grid; grid-template-columns: 2fr 1fr 1fr auto; gap: 0 0.6rem; align-items: end; margin-bottom: 0.4rem; }
    .kpi input { width: 100%; }
    .kpi .errors { grid-column: 1 / -1; }
    .invalid { border-color: var(--o-bad); }
    details { margin: 0.8rem 0; }
    summary { cursor: pointer; font-weight: 600; }
    .saved { color: var(--o-ok); }
    .summary { border: 1px solid #f3b8b2; background: var(--o-bad-bg); color: var(--o-bad); border-radius: var(--o-radius); padding: 0.6rem 0.8rem; margin: 0.6rem 0; }
    @media (max-width: 640px) { .kpi { grid-template-columns: 1fr 1fr; } }
  `];

  /** The project's name (the PUT's URL). */
  @property() project = '';
  @property({ attribute: false }) definition: Definition = newDefinition();
  /** Whether the project exists yet (the button says Create or Save). */
  @property({ type: Boolean }) exists = false;

  @state() private draft: Definition = newDefinition();
  @state() private json = '';
  @state() private jsonError = '';
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private saved = '';

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('definition')) this.set(structuredClone(this.definition));
  }

  private set(draft: Definition, { keepJson = false } = {}) {
    this.draft = draft;
    if (!keepJson) { this.json = JSON.stringify(draft, null, 2); this.jsonError = ''; }
  }

  private update1<K extends keyof Definition>(key: K, value: Definition[K]) {
    this.saved = '';
    this.set({ ...this.draft, [key]: value });
  }

  private setKpi(index: number, change: Partial<Kpi>) {
    const kpis = [...(this.draft.kpis ?? [])];
    kpis[index] = { ...kpis[index], ...change };
    this.update1('kpis', kpis);
  }

  private messages(key: string, { under = false } = {}): string[] {
    if (!(this.error instanceof ApiError)) return [];
    return under ? this.error.field(key) : this.error.errors[key] ?? [];
  }

  private errorsOf(id: string, key: string, options: { under?: boolean } = {}) {
    const messages = this.messages(key, options);
    return messages.length ? html`<div id=${id} class="errors">${messages.map(m => html`<p class="field-error">${m}</p>`)}</div>` : nothing;
  }

  /** Error keys no field of the form shows (they appear in the summary). */
  private unplaced(): [string, string[]][] {
    if (!(this.error instanceof ApiError)) return [];
    return Object.entries(this.error.errors).filter(([key]) =>
      !PlacedFields.some(f => key === f || key.startsWith(f + '[')) && !/^kpis(\[\d+\](\.(metric|min|max))?)?$/.test(key));
  }

  private input(id: string, label: string, key: 'label' | 'primaryMetric', extra: { list?: string; hint?: string } = {}) {
    const messages = this.messages(key);
    return html`<div>
      <label for=${id}>${label}${extra.hint ? html` <span class="muted">${extra.hint}</span>` : nothing}</label>
      <input id=${id} type="text" list=${extra.list ?? nothing} class=${messages.length ? 'invalid' : ''}
        aria-invalid=${messages.length ? 'true' : 'false'} aria-describedby=${messages.length ? `${id}-error` : nothing}
        .value=${String(this.draft[key] ?? '')} @input=${(e: Event) => this.update1(key, (e.target as HTMLInputElement).value)}>
      ${this.errorsOf(`${id}-error`, key)}
    </div>`;
  }

  render() {
    const d = this.draft;
    const metrics = MetricsByTask[d.task ?? ''] ?? [];
    const kpis = d.kpis ?? [];
    const approverErrors = this.messages('approvers', { under: true });
    const quorumErrors = this.messages('quorum');
    const taskErrors = this.messages('task');
    const count = this.error instanceof ApiError ? Object.keys(this.error.errors).length : 0;
    const unplaced = this.unplaced();
    return html`<form @submit=${this.save} novalidate>
      <datalist id="metrics">${metrics.map(m => html`<option value=${m}></option>`)}</datalist>
      <div class="fields">
        <div>
          <label for="task">Task</label>
          <select id="task" aria-invalid=${taskErrors.length ? 'true' : 'false'} aria-describedby=${taskErrors.length ? 'task-error' : nothing}
            @change=${(e: Event) => this.update1('task', (e.target as HTMLSelectElement).value)}>
            ${Tasks.map(t => html`<option value=${t} ?selected=${t === d.task}>${t}</option>`)}
          </select>
          ${this.errorsOf('task-error', 'task')}
        </div>
        ${this.input('label', 'Label column', 'label')}
        ${this.input('primary-metric', 'Primary metric', 'primaryMetric', { list: 'metrics' })}
        <div>
          <label for="quorum">Quorum <span class="muted">(approvals needed)</span></label>
          <input id="quorum" type="number" min="1" step="1" .value=${String(d.quorum ?? 1)}
            aria-invalid=${quorumErrors.length ? 'true' : 'false'} aria-describedby=${quorumErrors.length ? 'quorum-error' : nothing}
            @input=${(e: Event) => this.update1('quorum', Number((e.target as HTMLInputElement).value))}>
          ${this.errorsOf('quorum-error', 'quorum')}
        </div>
      </div>
      <label for="approvers">Approvers <span class="muted">(emails or group names, comma-separated)</span></label>
      <input id="approvers" type="text" class=${approverErrors.length ? 'invalid' : ''}
        aria-invalid=${approverErrors.length ? 'true' : 'false'} aria-describedby=${approverErrors.length ? 'approvers-error' : nothing}
        .value=${(d.approvers ?? []).join(', ')}
        @change=${(e: Event) => this.update1('approvers', (e.target as HTMLInputElement).value.split(',').map(a => a.trim()).filter(Boolean))}>
      ${this.errorsOf('approvers-error', 'approvers', { under: true })}

      <fieldset>
        <legend>KPIs <span class="muted">(a candidate must meet every one)</span></legend>
        ${this.errorsOf('kpis-error', 'kpis')}
        ${kpis.map((kpi, i) => this.kpiRow(kpi, i))}
        <button type="button" class="secondary" @click=${() => this.update1('kpis', [...kpis, { metric: metrics[0] ?? '', min: null }])}>Add KPI</button>
      </fieldset>

      <details>
        <summary>Whole definition (JSON)</summary>
        <p class="muted">Every field of <code>PUT /api/projects/${this.project}</code>: candidates, search space, featurization, monitoring, retraining…
          Changes here and in the fields above stay in step.</p>
        <label for="definition-json">Definition as JSON</label>
        <textarea id="definition-json" rows="18" spellcheck="false" aria-invalid=${this.jsonError ? 'true' : 'false'}
          aria-describedby=${this.jsonError ? 'json-error' : nothing} .value=${this.json} @input=${this.editJson}></textarea>
        ${this.jsonError ? html`<p id="json-error" class="field-error">${this.jsonError}</p>` : nothing}
      </details>

      ${count ? html`<div class="summary" role="alert"><strong>Not saved: ${count} ${count === 1 ? 'problem' : 'problems'}</strong>${
        count > unplaced.length ? html`<span>, ${unplaced.length ? `${count - unplaced.length} ` : ''}shown at ${count - unplaced.length === 1 ? 'its field' : 'their fields'}.</span>` : nothing}
        ${unplaced.length ? html`<ul>${unplaced.map(([key, m]) => html`<li><code>${key}</code>: ${m.join(' ')}</li>`)}</ul>` : nothing}
      </div>` : html`<problem-alert .error=${this.error}></problem-alert>`}
      <div class="row">
        <button type="submit" ?disabled=${this.busy || this.jsonError !== ''}>${this.exists ? 'Save definition' : 'Create project'}</button>
        ${this.saved ? html`<span class="saved" role="status">${this.saved}</span>` : nothing}
      </div>
    </form>`;
  }

  private kpiRow(kpi: Kpi, i: number) {
    const path = `kpis[${i}]`;
    const field = (name: 'metric' | 'min' | 'max') => this.messages(`${path}.${name}`);
    const bound = (name: 'min' | 'max', label: string) => {
      const messages = field(name);
      return html`<div><label for="kpi-${i}-${name}">${label}</label>
        <input id="kpi-${i}-${name}" type="number" step="any" .value=${kpi[name] === null || kpi[name] === undefined ? '' : String(kpi[name])}
          class=${messages.length ? 'invalid' : ''} aria-invalid=${messages.length ? 'true' : 'false'}
          aria-describedby=${messages.length ? `kpi-${i}-error` : nothing}
          @input=${(e: Event) => { const v = (e.target as HTMLInputElement).value; this.setKpi(i, { [name]: v === '' ? null : Number(v) }); }}></div>`;
    };
    const metricErrors = field('metric');
    const all = [...this.messages(path), ...metricErrors, ...field('min'), ...field('max')];
    return html`<div class="kpi" role="group" aria-label="KPI ${i + 1}">
      <div><label for="kpi-${i}-metric">Metric</label>
        <input id="kpi-${i}-metric" type="text" list="metrics" .value=${kpi.metric ?? ''} class=${metricErrors.length ? 'invalid' : ''}
          aria-invalid=${metricErrors.length ? 'true' : 'false'} aria-describedby=${all.length ? `kpi-${i}-error` : nothing}
          @input=${(e: Event) => this.setKpi(i, { metric: (e.target as HTMLInputElement).value })}></div>
      ${bound('min', 'Minimum')}
      ${bound('max', 'Maximum')}
      <button type="button" class="secondary" aria-label="Remove KPI ${i + 1}"
        @click=${() => this.update1('kpis', (this.draft.kpis ?? []).filter((_, j) => j !== i))}>Remove</button>
      ${all.length ? html`<div id="kpi-${i}-error" class="errors">${all.map(m => html`<p class="field-error">${m}</p>`)}</div>` : nothing}
    </div>`;
  }

  private editJson(event: Event) {
    this.json = (event.target as HTMLTextAreaElement).value;
    try {
      const parsed: unknown = JSON.parse(this.json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The definition is a JSON object.');
      this.jsonError = '';
      this.saved = '';
      this.set(parsed as Definition, { keepJson: true });
    } catch (error) {
      this.jsonError = `Not valid JSON: ${(error as Error).message}`;
    }
  }

  private async save(event: Event) {
    event.preventDefault();
    this.busy = true;
    this.error = null;
    this.saved = '';
    try {
      const view = await put<Schemas['ProjectView']>(`/api/projects/${encodeURIComponent(this.project)}`, this.draft);
      this.saved = this.exists ? 'Saved.' : 'Created.';
      this.dispatchEvent(new CustomEvent('saved', { detail: view, bubbles: true, composed: true }));
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'project-editor': ProjectEditor; }
}
