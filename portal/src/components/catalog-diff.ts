// Two versions of a dataset compared (`GET .../versions/{a}/diff/{b}`): curated rows before and after, schema changes
// (added, removed, type or nullability changed) and the per-column distribution shift as bars against the threshold.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { number, percent } from '../app/format.js';
import type { EChartsOption } from '../charts/echarts.js';
import { shared } from '../styles/shared.js';
import '../charts/o-chart.js';
import './problem-alert.js';

type Diff = Schemas['DatasetDiffView'];

@customElement('catalog-diff')
export class CatalogDiff extends LitElement {
  static styles = [shared, css`
    o-chart { height: 300px; }
    .shifted { color: var(--o-bad); font-weight: 600; }
  `];

  @property() project = '';
  @property({ attribute: 'dataset-name' }) datasetName = '';
  @property({ type: Number }) baseline = 0;
  @property({ type: Number }) current = 0;

  @state() private diff: Diff | null = null;
  @state() private error: unknown = null;
  @state() private loading = false;

  updated(changed: Map<string, unknown>) {
    if (['project', 'datasetName', 'baseline', 'current'].some(k => changed.has(k)) && this.project && this.baseline && this.current) void this.load();
  }

  private async load() {
    this.loading = true;
    this.error = null;
    try {
      this.diff = await get<Diff>(href('/api/projects', this.project, 'datasets', this.datasetName, 'versions', String(this.baseline), 'diff', String(this.current)));
    } catch (error) {
      this.diff = null;
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  private chart(d: Diff): EChartsOption {
    const shifts = d.shifts;
    const thresholds = [...new Set(shifts.map(s => Number(s.threshold)))];
    return {
      grid: { left: 50, right: 20, top: 20, bottom: 70 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: shifts.map(s => s.column), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: 'Shift score' },
      series: [{
        type: 'bar', name: 'Shift score',
        data: shifts.map(s => ({ value: Number(s.score), itemStyle: { color: s.shifted ? '#b42318' : '#0b5cad' } })),
        markLine: {
          symbol: 'none', lineStyle: { type: 'dashed', color: '#8a5a00' },
          label: { formatter: 'threshold {c}' },
          data: thresholds.map(t => ({ yAxis: t, name: 'Threshold' })),
        },
      }],
    };
  }

  render() {
    if (this.error) return html`<problem-alert .error=${this.error}></problem-alert>`;
    const d = this.diff;
    if (!d) return html`<p class="muted">${this.loading ? 'Comparing…' : ''}</p>`;
    const shifted = d.shifts.filter(s => s.shifted);
    return html`
      <p>Curated rows: ${number(Number(d.rows.baseline))} in version ${d.baseline}, ${number(Number(d.rows.current))} in version ${d.current}.
        ${shifted.length} of ${d.shifts.length} columns shifted (${percent(Number(d.shiftedShare))}).</p>
      <h3>Schema changes</h3>
      ${d.schemaChanges.length === 0 ? html`<p class="muted">The schema did not change.</p>` : html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Column</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>${d.schemaChanges.map(c => html`<tr><td><code>${c.column}</code></td><td>${c.change}</td><td>${c.before ?? '—'}</td><td>${c.after ?? '—'}</td></tr>`)}</tbody>
      </table></div>`}
      <h3>Distribution shift per column</h3>
      ${d.shifts.length ? html`<o-chart .option=${this.chart(d)}
        label=${`Shift score per column from version ${d.baseline} to ${d.current}; ${shifted.length ? `shifted: ${shifted.map(s => s.column).join(', ')}` : 'none shifted'}`}></o-chart>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Method</th><th scope="col" class="num">Score</th><th scope="col" class="num">Threshold</th>
          <th scope="col" class="num">PSI</th><th scope="col" class="num">Nulls before</th><th scope="col" class="num">Nulls after</th><th scope="col">Shifted</th></tr></thead>
        <tbody>${d.shifts.map(s => html`<tr>
          <td><code>${s.column}</code></td><td>${s.type}</td><td>${s.method}</td>
          <td class="num">${number(Number(s.score), 3)}</td><td class="num">${number(Number(s.threshold))}</td>
          <td class="num">${s.psi === null ? '—' : number(Number(s.psi), 3)}</td>
          <td class="num">${s.nullShareBefore === null ? '—' : percent(Number(s.nullShareBefore))}</td>
          <td class="num">${s.nullShareAfter === null ? '—' : percent(Number(s.nullShareAfter))}</td>
          <td>${s.shifted ? html`<span class="shifted">Shifted</span>` : 'No'}</td>
        </tr>`)}</tbody>
      </table></div>` : html`<p class="muted">No column is in both versions with the same type.</p>`}
      ${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-diff': CatalogDiff; }
}
