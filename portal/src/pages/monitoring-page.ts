// Monitoring: a project's windows of served predictions against the training baseline — features sorted by how far
// their drift goes past the threshold (each with a sparkline over windows; one chosen shows its series and its
// baseline-vs-window histogram in the newest window), prediction drift, performance from feedback against the KPIs,
// alerts, and "run a window now" for whoever may operate.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href, setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { number, percent, when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import type { EChartsOption } from '../charts/echarts.js';
import { num } from '../components/ops-util.js';
import '../components/data-table.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';
import '../components/ops-project-picker.js';
import '../components/monitoring-histogram.js';
import '../charts/o-chart.js';

type Point = Schemas['FeatureDriftPoint'];
interface FeatureRow { feature: string; points: Point[]; last: Point; severity: number }
interface Monitoring { view: Schemas['MonitoringView']; project: Schemas['ProjectView'] }

/** Tests decide by p-value (drift below the threshold); distances by score (drift above it). */
const isTest = (method: string) => method === 'ks' || method === 'chiSquared';

/** How far a point goes towards its threshold: 1 is the threshold, above 1 drifted (for either kind of method). */
function severity(point: Point): number {
  const threshold = num(point.threshold) ?? 0;
  if (isTest(point.method)) {
    const p = Math.max(num(point.pValue) ?? 1, 1e-300);
    return threshold > 0 && threshold < 1 ? Math.log(p) / Math.log(threshold) : 0;
  }
  return threshold > 0 ? (num(point.score) ?? 0) / threshold : 0;
}

/** A date input's value (yyyy-mm-dd) from an ISO time, and back (start of that day, local). */
const dateOf = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

@customElement('monitoring-page')
export class MonitoringPage extends LitElement {
  static styles = [shared, css`
    o-chart.series { height: 240px; }
    td button.link { all: unset; cursor: pointer; color: var(--o-accent); text-decoration: underline; }
    td button.link:focus-visible { outline: 2px solid var(--o-accent); }
    tr.chosen td { background: var(--o-info-bg); }
    form.range { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
    form.range label { margin: 0 0 0.2rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private runError: unknown = null;
  @state() private runOutcome = '';
  @state() private running = false;

  private monitoring = new Loader<Monitoring>(this, async signal => {
    const p = this.params.project;
    const [view, project] = await Promise.all([
      get<Schemas['MonitoringView']>(href('/api/projects', p, 'monitoring'), { from: this.query.get('from'), to: this.query.get('to') }, signal),
      get<Schemas['ProjectView']>(href('/api/projects', p), undefined, signal),
    ]);
    return { view, project };
  });
  private loadedRange = '';

  willUpdate(changed: Map<string, unknown>) {
    const range = `${this.query.get('from') ?? ''}|${this.query.get('to') ?? ''}`;
    if (this.params.project && (changed.has('query') || changed.has('params')) && range !== this.loadedRange) {
      this.loadedRange = range;
      void this.monitoring.load();
    }
  }

  render() {
    const p = this.params.project;
    return html`<h1>Monitoring${p ? html` <span class="muted">· ${p}</span>` : nothing}</h1>
      <ops-project-picker base="/monitoring" .project=${p ?? ''} ?list=${!p}></ops-project-picker>
      ${p ? this.renderProject() : nothing}`;
  }

  private renderProject() {
    const m = this.monitoring.value;
    const from = this.query.get('from'), to = this.query.get('to');
    return html`
      <form class="range" @submit=${this.applyRange}>
        <div><label for="from">From</label><input id="from" name="from" type="date" .value=${dateOf(from ?? m?.view.from ?? null)}></div>
        <div><label for="to">To</label><input id="to" name="to" type="date" .value=${dateOf(to ?? m?.view.to ?? null)}></div>
        <div><button type="submit" class="secondary">Show</button></div>
        ${session.can('Operate') ? html`<div><button type="button" ?disabled=${this.running} @click=${this.runNow}>Run a window now</button></div>` : nothing}
      </form>
      ${this.runOutcome ? html`<p role="status">${this.runOutcome}</p>` : nothing}
      <problem-alert .error=${this.runError}></problem-alert>
      <problem-alert .error=${this.monitoring.error}></problem-alert>
      ${!m ? (this.monitoring.error ? nothing : html`<p class="muted">Loading monitoring…</p>`) : this.renderView(m)}`;
  }

  private renderView({ view, project }: Monitoring) {
    if (view.windows.length === 0) return html`<p class="muted">No monitoring window between ${when(view.from)} and ${when(view.to)}.</p>`;
    const latest = view.windows[view.windows.length - 1];
    const features: FeatureRow[] = Object.entries(view.series)
      .filter(([, points]) => points.length > 0)
      .map(([feature, points]) => ({ feature, points, last: points[points.length - 1], severity: severity(points[points.length - 1]) }))
      .sort((a, b) => Number(b.last.drifted) - Number(a.last.drifted) || b.severity - a.severity);
    const chosen = features.find(f => f.feature === this.query.get('feature')) ?? features[0];
    const labels = view.windows.map(w => when(w.windowEnd));
    return html`
      <section class="card" aria-label="Latest window">
        <h2>Latest window</h2>
        <p>${when(latest.windowStart)} – ${when(latest.windowEnd)} · model v${latest.modelVersion ?? '—'} · ${number(num(latest.predictions))} predictions,
          ${number(num(latest.feedbackRows))} with feedback</p>
        <p>Dataset drift <status-badge status=${latest.datasetDrift ? 'Drift' : 'Healthy'}></status-badge>
          ${latest.driftedShare !== null ? html`<span class="muted">${percent(num(latest.driftedShare), 0)} of features drifted</span>` : nothing}
          ${latest.alert ? html` · <strong>Alert:</strong> ${latest.alertReason}` : nothing}</p>
      </section>

      <h2>Features</h2>
      <p class="muted">Sorted by drift against each feature's threshold (distances drift above it; tests — ks, chiSquared — drift when their p-value falls below it).</p>
      <section aria-label="Feature drift in the latest window"><data-table .columns=${this.featureColumns(chosen?.feature)} .rows=${features}
        .rowClass=${(f: FeatureRow) => (f.feature === chosen?.feature ? 'chosen' : '')}></data-table></section>
      ${chosen ? html`<h3>${chosen.feature} over windows</h3>
        <o-chart class="series" .option=${this.seriesChart(chosen, labels)}
          label=${`${chosen.feature}: ${isTest(chosen.last.method) ? 'p-value' : 'score'} by window against the threshold ${number(num(chosen.last.threshold))}`}></o-chart>
        <h3>${chosen.feature}: baseline against the window</h3>
        <monitoring-histogram .feature=${chosen.feature} .histogram=${view.histograms[chosen.feature] ?? null}></monitoring-histogram>` : nothing}

      <h2>Prediction drift</h2>
      ${view.prediction.length ? html`<section aria-label="Drift of the predictions against the training label, by window"><data-table
        .columns=${[
          { key: 'window', label: 'Window end', cell: (r: { i: number }) => labels[r.i] ?? '—' },
          { key: 'method', label: 'Method', cell: (r: { i: number }) => view.prediction[r.i].method },
          { key: 'score', label: 'Score', numeric: true, cell: (r: { i: number }) => number(num(view.prediction[r.i].score)) },
          { key: 'drifted', label: 'Drifted', cell: (r: { i: number }) => html`<status-badge status=${view.prediction[r.i].drifted ? 'Drift' : 'Healthy'}></status-badge>` },
        ] as Column<{ i: number }>[]} .rows=${view.prediction.map((_, i) => ({ i })).reverse()}></data-table></section>` : html`<p class="muted">No prediction drift measured.</p>`}

      <h2>Performance from feedback</h2>
      ${this.renderPerformance(view, project, labels)}

      <h2>Alerts</h2>
      ${view.alerts.length ? html`<ul>${[...view.alerts].reverse().map(a => html`<li><strong title=${a.windowEnd}>${when(a.windowEnd)}</strong>: ${a.alertReason ?? 'alert'}${a.retrainRequested ? html` <status-badge status="Retraining requested"></status-badge>` : nothing}</li>`)}</ul>`
        : html`<p class="muted">No alert in this range.</p>`}

      <h2>Windows</h2>
      <section aria-label="Monitoring windows, newest first"><data-table .columns=${this.windowColumns()} .rows=${[...view.windows].reverse()}></data-table></section>`;
  }

  private featureColumns(chosen: string | undefined): Column<FeatureRow>[] {
    return [
      { key: 'feature', label: 'Feature', cell: f => html`<button type="button" class="link" aria-pressed=${f.feature === chosen ? 'true' : 'false'}
        @click=${() => setQuery({ feature: f.feature }, { replace: true })}>${f.feature}</button>` },
      { key: 'drifted', label: 'Drift', cell: f => html`<status-badge status=${f.last.drifted ? 'Drift' : 'Healthy'}></status-badge>` },
      { key: 'method', label: 'Method', cell: f => f.last.method },
      { key: 'score', label: 'Score', numeric: true, cell: f => number(num(f.last.score)) },
      { key: 'pValue', label: 'p-value', numeric: true, cell: f => number(num(f.last.pValue), 3) },
      { key: 'threshold', label: 'Threshold', numeric: true, cell: f => number(num(f.last.threshold)) },
      { key: 'psi', label: 'PSI', numeric: true, cell: f => number(num(f.last.psi), 3) },
      { key: 'trend', label: 'Over windows', cell: f => html`<o-chart class="spark" size="spark" .option=${this.spark(f)}
        label=${`${f.feature} score by window: ${f.points.map(p => number(num(p.score), 3)).join(', ')}`}></o-chart>` },
    ];
  }

  private windowColumns(): Column<Schemas['MonitoringWindowView']>[] {
    return [
      { key: 'windowEnd', label: 'Window', cell: w => `${when(w.windowStart)} – ${when(w.windowEnd)}` },
      { key: 'modelVersion', label: 'Model', cell: w => (w.modelVersion === null ? '—' : `v${w.modelVersion}`) },
      { key: 'predictions', label: 'Predictions', numeric: true, cell: w => number(num(w.predictions)) },
      { key: 'feedbackRows', label: 'Feedback', numeric: true, cell: w => number(num(w.feedbackRows)) },
      { key: 'datasetDrift', label: 'Dataset drift', cell: w => html`<status-badge status=${w.datasetDrift ? 'Drift' : 'Healthy'}></status-badge>` },
      { key: 'driftedShare', label: 'Drifted share', numeric: true, cell: w => percent(num(w.driftedShare), 0) },
      { key: 'alert', label: 'Alert', cell: w => (w.alert ? w.alertReason ?? 'yes' : 'no') },
    ];
  }

  private renderPerformance(view: Schemas['MonitoringView'], project: Schemas['ProjectView'], labels: string[]) {
    const metrics = [...new Set(view.performance.flatMap(p => Object.keys(p)))];
    if (metrics.length === 0) return html`<p class="muted">No feedback in these windows yet (ground truth comes through <code>POST .../feedback</code>).</p>`;
    const kpis = project.kpis;
    const kpiText = (metric: string) => kpis.filter(k => k.metric === metric)
      .map(k => [k.min !== null && k.min !== undefined ? `≥ ${k.min}` : '', k.max !== null && k.max !== undefined ? `≤ ${k.max}` : ''].filter(Boolean).join(' and ')).join('; ');
    const breached = (metric: string, value: number | null) => value !== null && kpis.some(k => k.metric === metric
      && ((k.min !== null && k.min !== undefined && value < Number(k.min)) || (k.max !== null && k.max !== undefined && value > Number(k.max))));
    const rows = view.performance.map((p, i) => ({ i, p })).filter(r => Object.keys(r.p).length > 0).reverse();
    const columns: Column<{ i: number; p: Record<string, number | string> }>[] = [
      { key: 'window', label: 'Window end', cell: r => labels[r.i] ?? '—' },
      ...metrics.map(metric => ({
        key: metric, label: `${metric}${kpiText(metric) ? ` (KPI ${kpiText(metric)})` : ''}`, numeric: true,
        cell: (r: { p: Record<string, number | string> }) => {
          const value = num(r.p[metric]);
          return breached(metric, value) ? html`${number(value)} <status-badge status="Failed"></status-badge>` : number(value);
        },
      })),
    ];
    return html`<section aria-label="Performance by window against the KPIs"><data-table .columns=${columns} .rows=${rows}></data-table></section>`;
  }

  private spark(f: FeatureRow): EChartsOption {
    return {
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, data: f.points.map((_, i) => i) },
      yAxis: { type: 'value', show: false, scale: true },
      series: [{ type: 'line', data: f.points.map(p => num(p.score)), symbol: f.points.length > 1 ? 'none' : 'circle', lineStyle: { width: 1.5 },
        itemStyle: { color: f.last.drifted ? '#b42318' : '#0b5cad' } }],
      tooltip: { show: false },
    };
  }

  private seriesChart(f: FeatureRow, labels: string[]): EChartsOption {
    const test = isTest(f.last.method);
    const threshold = num(f.last.threshold);
    return {
      grid: { left: 60, right: 30, top: 30, bottom: 40 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: labels },
      // p-values span hundreds of orders of magnitude (1e-118 next to the 0.05 threshold): a log axis, labelled in powers of ten.
      yAxis: test ? { type: 'log', name: 'p-value', axisLabel: { formatter: (v: number) => v.toExponential(0) } } : { type: 'value', name: 'score' },
      series: [
        { type: 'line', name: test ? 'p-value' : 'score', data: f.points.map(p => num(test ? p.pValue : p.score)),
          markLine: threshold !== null ? { symbol: 'none', label: { formatter: `threshold ${threshold}` }, lineStyle: { color: '#b42318', type: 'dashed' }, data: [{ yAxis: threshold }] } : undefined },
      ],
    };
  }

  private applyRange(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const from = value('from'), to = value('to');
    setQuery({ from: from ? new Date(`${from}T00:00:00`).toISOString() : null, to: to ? new Date(`${to}T23:59:59`).toISOString() : null });
  }

  private async runNow() {
    this.running = true;
    this.runError = null;
    this.runOutcome = '';
    try {
      const report = await post<Schemas['MonitoringReport']>(href('/api/projects', this.params.project, 'monitoring', 'run'), {});
      this.runOutcome = `Window ${when(report.windowStart)} – ${when(report.windowEnd)}: ${number(num(report.predictions))} predictions${report.alert ? `, alert: ${report.alertReason}` : ', no alert'}.`;
      await this.monitoring.load({ quiet: true });
    } catch (error) {
      this.runError = error;
    } finally {
      this.running = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'monitoring-page': MonitoringPage; }
}
