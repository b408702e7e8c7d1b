// A feature's baseline-vs-window histogram from a monitoring window: the training data's and the window's share per
// bin side by side (number and date bins on the baseline's edges, dates drawn as dates; categories with "(other)"),
// and the same bins as a table for whoever does not read the chart.
import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Schemas } from '../api/types.js';
import { number, percent, when } from '../app/format.js';
import type { EChartsOption } from '../charts/echarts.js';
import type { Column } from './data-table.js';
import { num } from './ops-util.js';
import { shared } from '../styles/shared.js';
import './data-table.js';
import '../charts/o-chart.js';

type Histogram = Schemas['FeatureHistogramView'];
type Bin = Schemas['HistogramBin'];

const DayMs = 86_400_000;

/** A bin edge as the feature's values read: a date for date features, a number otherwise. */
function edge(type: string, x: number | null): string {
  if (x === null) return '—';
  return type === 'date' ? new Date(Math.round(x) * DayMs).toISOString().slice(0, 10) : number(x, 3);
}

/** The bin's name: its category, or its range. */
const binLabel = (type: string, bin: Bin) => bin.label ?? `${edge(type, num(bin.lower))} – ${edge(type, num(bin.upper))}`;

@customElement('monitoring-histogram')
export class MonitoringHistogram extends LitElement {
  static styles = [shared, css`
    :host { display: block; }
    o-chart { height: 260px; }
    details { margin-top: 0.5rem; }
  `];

  @property() feature = '';
  @property({ attribute: false }) histogram: Histogram | null = null;

  render() {
    const h = this.histogram;
    if (!h) return html`<p class="muted">No histogram of ${this.feature} in these windows (windows monitored before histograms were kept have none).</p>`;
    const labels = h.bins.map(b => binLabel(h.type, b));
    const moved = h.bins.reduce((sum, b) => sum + Math.abs((num(b.window) ?? 0) - (num(b.baseline) ?? 0)), 0) / 2;
    const label = `${this.feature}: share of values per bin, baseline (training data) against the window ending ${when(h.windowEnd)}, ` +
      `${h.bins.length} bins; ${percent(moved, 0)} of the window lies in other bins than the baseline's`;
    const columns: Column<{ bin: Bin; i: number }>[] = [
      { key: 'bin', label: h.bins[0]?.label === null ? 'Range' : 'Category', cell: r => labels[r.i] },
      { key: 'baseline', label: 'Baseline share', numeric: true, cell: r => percent(num(r.bin.baseline)) },
      { key: 'window', label: 'Window share', numeric: true, cell: r => percent(num(r.bin.window)) },
      { key: 'baselineCount', label: 'Baseline rows', numeric: true, cell: r => number(num(r.bin.baselineCount)) },
      { key: 'windowCount', label: 'Window rows', numeric: true, cell: r => number(num(r.bin.windowCount)) },
    ];
    return html`
      <o-chart .option=${this.chart(h, labels)} label=${label}></o-chart>
      <details>
        <summary>${this.feature}'s bins as a table</summary>
        <data-table label=${`${this.feature}: baseline and window share per bin`} .columns=${columns}
          .rows=${h.bins.map((bin, i) => ({ bin, i }))}></data-table>
      </details>`;
  }

  private chart(h: Histogram, labels: string[]): EChartsOption {
    const share = (v: number | string) => Math.round((num(v) ?? 0) * 10000) / 100;
    return {
      grid: { left: 50, right: 16, top: 30, bottom: h.bins[0]?.label === null ? 30 : 60 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: unknown) => `${String(v)} %` },
      xAxis: { type: 'category', data: labels, axisLabel: h.bins[0]?.label === null ? { show: false } : { rotate: 30, interval: 0 }, axisTick: { show: false } },
      yAxis: { type: 'value', name: '% of values' },
      series: [
        { type: 'bar', name: 'Baseline', data: h.bins.map(b => share(b.baseline)), itemStyle: { color: '#8a94a6' }, barGap: '0%' },
        { type: 'bar', name: 'Window', data: h.bins.map(b => share(b.window)), itemStyle: { color: '#0b5cad' } },
      ],
    };
  }
}

declare global {
  interface HTMLElementTagNameMap { 'monitoring-histogram': MonitoringHistogram; }
}
