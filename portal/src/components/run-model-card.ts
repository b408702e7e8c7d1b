// The model card of a run's best candidate (GET /api/runs/{id}/model-card): what it was trained on, its metrics
// against the KPIs and the production model (champion), the confusion matrix on the test set as a heatmap, recall per
// class, the metrics per slice of the test set (evaluation.sliceBy) as a table, and permutation feature importance as bars.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ApiError, get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { number, percent, when } from '../app/format.js';
import { href } from '../app/router.js';
import type { EChartsOption } from '../charts/echarts.js';
import { shared } from '../styles/shared.js';
import { kpiText, meets, num } from './project-metrics.js';
import './problem-alert.js';
import '../charts/o-chart.js';

type Card = Schemas['ModelCard'];

/** Per-slice KPIs judge only slices with at least this many test rows (SliceEvaluation.MinRowsForKpi on the server). */
const minRowsForKpi = 10;

@customElement('run-model-card')
export class RunModelCard extends LitElement {
  static styles = [shared, css`
    o-chart.matrix { height: 360px; }
    o-chart.importance { height: 300px; }
  `];

  @property() runId = '';
  @property() revision = '';

  private card = new Loader(this, signal => get<Card>(href('/api/runs', this.runId) + '/model-card', undefined, signal));

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('runId') || (changed.has('revision') && !this.card.value)) void this.card.load({ quiet: this.card.value !== undefined });
  }

  private matrixOption(matrix: Schemas['ConfusionMatrix']): EChartsOption {
    const counts = matrix.counts.map(row => row.map(c => num(c) ?? 0));
    const data: [number, number, number][] = [];
    counts.forEach((row, actual) => row.forEach((count, predicted) => data.push([predicted, actual, count])));
    const max = Math.max(1, ...data.map(d => d[2]));
    return {
      tooltip: { formatter: (p: unknown) => { const v = (p as { value: number[] }).value; return `actual ${matrix.classes[v[1]]}, predicted ${matrix.classes[v[0]]}: ${v[2]}`; } },
      grid: { left: 90, right: 30, top: 20, bottom: 80 },
      xAxis: { type: 'category', data: matrix.classes, name: 'predicted', nameLocation: 'middle', nameGap: 30, splitArea: { show: true } },
      yAxis: { type: 'category', data: matrix.classes, name: 'actual', inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f4f8fc', '#1f5fa8'] } },
      series: [{ type: 'heatmap', data, label: { show: true, color: '#111' } }],
    };
  }

  private importanceOption(items: Schemas['FeatureImportance'][], metric: string): EChartsOption {
    const sorted = [...items].sort((a, b) => (num(a.drop) ?? 0) - (num(b.drop) ?? 0));
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 130, right: 30, top: 10, bottom: 40 },
      xAxis: { type: 'value', name: `drop in ${metric}`, nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'category', data: sorted.map(i => i.feature) },
      series: [{ type: 'bar', data: sorted.map(i => num(i.drop) ?? 0), itemStyle: { color: '#1f5fa8' } }],
    };
  }

  private slicesTable(card: Card, slices: Schemas['SliceMetrics'][]) {
    const metrics = slices.flatMap(s => Object.keys(s.metrics)).filter((m, i, all) => all.indexOf(m) === i);
    const perSlice = card.kpis.filter(k => k.perSlice);
    const missed = (slice: Schemas['SliceMetrics'], metric: string, value: number | null) =>
      num(slice.rows) !== null && num(slice.rows)! >= minRowsForKpi && perSlice.some(k => k.metric === metric && meets(k, value) === false);
    return html`<h3>Metrics per slice (test set)</h3>
      <p class="muted">The test rows by value of ${[...new Set(slices.map(s => s.column))].join(', ')}.${perSlice.length
        ? ` Per-slice KPIs (${perSlice.map(k => `${k.metric} ${kpiText(k)}`).join(', ')}) are judged in slices of at least ${minRowsForKpi} test rows.` : ''}</p>
      <div class="table-wrap"><table class="slices">
        <thead><tr><th scope="col">Slice</th><th scope="col" class="num">Test rows</th>${metrics.map(m => html`<th scope="col" class="num">${m}</th>`)}</tr></thead>
        <tbody>${slices.map(s => html`<tr><th scope="row">${s.column}=${s.value}</th><td class="num">${number(num(s.rows))}</td>${metrics.map(m => {
          const value = num(s.metrics[m]);
          return html`<td class="num">${missed(s, m, value) ? html`<span class="badge bad">✗ ${number(value)}</span>` : number(value)}</td>`;
        })}</tr>`)}</tbody>
      </table></div>`;
  }

  render() {
    const card = this.card.value;
    if (!card) {
      if (this.card.error instanceof ApiError && this.card.error.status === 404)
        return html`<p class="muted">The model card appears once the sweep has chosen its best candidate.</p>`;
      return this.card.error ? html`<problem-alert .error=${this.card.error}></problem-alert>` : html`<p class="muted">Loading…</p>`;
    }
    const champion = card.champion;
    const metricNames = Object.keys(card.metrics);
    const matrix = card.confusionMatrix;
    const matrixLabel = matrix ? `Confusion matrix of ${matrix.classes.length} classes (${matrix.classes.join(', ')}): rows actual, columns predicted; `
      + matrix.classes.map((c, i) => `${c}: ${matrix.counts[i]?.map(x => String(x)).join(' ')}`).join('; ') : '';
    const importanceLabel = `Permutation importance of ${card.featureImportance.length} features: ${card.featureImportance.map(f => `${f.feature} ${number(num(f.drop))}`).join(', ')}`;
    return html`
      <dl class="facts">
        <dt>Candidate</dt><dd><code>${card.trialId}</code> ${card.trainer}</dd>
        <dt>Hyperparameters</dt><dd class="mono">${Object.entries(card.parameters).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
        <dt>Data</dt><dd>${card.dataset} v${card.datasetVersion}: ${number(num(card.rowsIn))} rows in, ${number(num(card.rowsUsed))} used, ${number(num(card.rowsQuarantined))} quarantined${card.trainingRows?.reason ? html`<br><span class="muted">${card.trainingRows.reason}</span>` : nothing}</dd>
        <dt>Content hash</dt><dd class="mono">${card.contentHash ?? '—'}</dd>
        <dt>Label</dt><dd><code>${card.label}</code></dd>
        <dt>Features</dt><dd>${card.features.map(f => f.source).filter((f, i, all) => all.indexOf(f) === i).join(', ')}</dd>
        <dt>Created</dt><dd>${when(card.createdAt)}</dd>
      </dl>
      <h3>Metrics, KPIs and the production model</h3>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Metric</th><th scope="col" class="num">This model</th><th scope="col">KPI</th><th scope="col">Meets</th>
          <th scope="col" class="num">Production${champion ? ` (v${champion.championVersion})` : ''}</th></tr></thead>
        <tbody>${metricNames.map(m => {
          const value = num(card.metrics[m]);
          const kpis = card.kpis.filter(k => k.metric === m);
          const verdicts = kpis.map(k => meets(k, value));
          const ok = verdicts.every(v => v !== false);
          const championValue = champion ? num(champion.championMetrics[m]) : null;
          return html`<tr><th scope="row">${m}${m === card.primaryMetric ? html` <span class="badge info">primary</span>` : nothing}</th>
            <td class="num">${number(value)}</td><td>${kpis.map(k => kpiText(k) + (k.perSlice ? ' in every slice' : '')).join(', ') || '—'}</td>
            <td>${kpis.length ? html`<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? '✓ meets' : '✗ misses'}</span>` : '—'}</td>
            <td class="num">${number(championValue)}</td></tr>`;
        })}</tbody>
      </table></div>
      ${champion ? html`<p>${champion.better ? 'Beats' : 'Does not beat'} the production model v${champion.championVersion} on ${champion.metric}:
        ${number(num(champion.challenger))} against ${number(num(champion.champion))} (needed: +${number(num(champion.minImprovement))}).</p>`
        : html`<p class="muted">No model in production to compare with.</p>`}
      ${card.slices?.length ? this.slicesTable(card, card.slices) : nothing}
      ${card.confusionMatrix ? html`<h3>Confusion matrix (test set)</h3>
        <o-chart class="matrix" .option=${this.matrixOption(card.confusionMatrix)} label=${matrixLabel}></o-chart>` : nothing}
      ${card.perClassRecall ? html`<h3>Recall per class</h3>
        <div class="table-wrap"><table><thead><tr><th scope="col">Class</th><th scope="col" class="num">Recall</th></tr></thead>
          <tbody>${Object.entries(card.perClassRecall).map(([c, r]) => html`<tr><td>${c}</td><td class="num">${percent(num(r))}</td></tr>`)}</tbody></table></div>` : nothing}
      ${card.featureImportance.length ? html`<h3>Permutation feature importance</h3>
        <p class="muted">How much ${card.primaryMetric} drops when one source column is shuffled.</p>
        <o-chart class="importance" .option=${this.importanceOption(card.featureImportance, card.primaryMetric)} label=${importanceLabel}></o-chart>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-model-card': RunModelCard; }
}
