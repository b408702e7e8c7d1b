// Two or more trials side by side: trainer, every hyperparameter, every metric, time and size, one column per trial;
// "Only differences" hides the rows where every trial has the same value.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Schemas } from '../api/types.js';
import { number } from '../app/format.js';
import { shared } from '../styles/shared.js';
import { num } from './project-metrics.js';

type Trial = Schemas['LeaderboardEntry'];
interface Row { label: string; values: string[]; }

const text = (v: number | string | null | undefined) => (v === null || v === undefined ? '—' : typeof v === 'number' ? number(v) : (num(v) !== null ? number(num(v)) : v));

export function compareRows(trials: Trial[]): Row[] {
  const params = [...new Set(trials.flatMap(t => Object.keys(t.parameters)))].sort();
  const metrics = [...new Set(trials.flatMap(t => Object.keys(t.metrics)))].sort();
  return [
    { label: 'Rank', values: trials.map(t => text(t.rank)) },
    { label: 'Trainer', values: trials.map(t => t.trainer) },
    ...params.map(p => ({ label: p, values: trials.map(t => text(t.parameters[p])) })),
    ...metrics.map(m => ({ label: m, values: trials.map(t => text(t.metrics[m])) })),
    { label: 'Status', values: trials.map(t => t.status) },
    { label: 'Training seconds', values: trials.map(t => text(t.trainingSeconds)) },
    { label: 'Model bytes', values: trials.map(t => text(t.modelBytes)) },
    { label: 'Rung / budget', values: trials.map(t => `${t.rung} / ${text(t.budget)}`) },
    { label: 'Seed', values: trials.map(t => text(t.seed)) },
  ];
}

@customElement('run-compare')
export class RunCompare extends LitElement {
  static styles = [shared, css`th[scope='row'] { white-space: nowrap; } td.differs { background: var(--o-warn-bg); }`];

  @property({ attribute: false }) trials: Trial[] = [];
  @state() private onlyDifferences = true;

  render() {
    if (this.trials.length < 2) return html`<p class="muted">Select two or more trials in the leaderboard to compare them.</p>`;
    const all = compareRows(this.trials);
    const differs = (r: Row) => new Set(r.values).size > 1;
    const rows = this.onlyDifferences ? all.filter(differs) : all;
    return html`<label class="inline"><input type="checkbox" .checked=${this.onlyDifferences}
        @change=${(e: Event) => (this.onlyDifferences = (e.target as HTMLInputElement).checked)}>Only differences</label>
      <div class="table-wrap"><table>
        <caption class="muted">Comparing ${this.trials.length} trials${this.onlyDifferences ? ` (${all.length - rows.length} equal rows hidden)` : ''}</caption>
        <thead><tr><th scope="col">Field</th>${this.trials.map(t => html`<th scope="col"><code>${t.trialId}</code></th>`)}</tr></thead>
        <tbody>${rows.length === 0 ? html`<tr><td colspan=${this.trials.length + 1} class="muted">The trials agree on everything.</td></tr>` : rows.map(r => html`<tr>
          <th scope="row">${r.label}</th>${r.values.map(v => html`<td class=${differs(r) && !this.onlyDifferences ? 'differs' : ''}>${v}</td>`)}</tr>`)}</tbody>
      </table></div>${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-compare': RunCompare; }
}
