// Hyperparameters against the primary metric: a parallel-coordinates chart (one axis per hyperparameter, the trainer,
// the metric; one line per trial, a colour per trainer) and a scatter of one chosen hyperparameter against the
// metric. At most the best `cap` trials by the primary metric are drawn, so a 1,000-trial run stays responsive.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { href } from '../app/router.js';
import type { EChartsOption } from '../charts/echarts.js';
import { shared } from '../styles/shared.js';
import { num } from './project-metrics.js';
import './problem-alert.js';
import '../charts/o-chart.js';

type Trial = Schemas['LeaderboardEntry'];
const Palette = ['#1f5fa8', '#b3261e', '#2f7d4f', '#a35f00', '#5a3e99', '#00707a', '#7a4b00', '#444'];

@customElement('run-parallel')
export class RunParallel extends LitElement {
  static styles = [shared, css`
    o-chart.parallel { height: 360px; }
    o-chart.scatter { height: 300px; }
  `];

  @property() runId = '';
  @property() primaryMetric = '';
  @property({ type: Number }) cap = 500;
  @property() revision = '';

  @state() private parameter = '';

  private trials = new Loader(this, signal => get<Schemas['LeaderboardView']>(href('/api/runs', this.runId) + '/trials',
    { limit: this.cap }, signal));

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('runId') || changed.has('revision') || changed.has('cap')) void this.trials.load({ quiet: this.trials.value !== undefined });
  }

  private succeeded(): Trial[] {
    return (this.trials.value?.trials ?? []).filter(t => t.status === 'Succeeded' && num(t.metrics[this.primaryMetric]) !== null);
  }

  private parameters(trials: Trial[]): string[] {
    return [...new Set(trials.flatMap(t => Object.keys(t.parameters)))].sort();
  }

  private parallelOption(trials: Trial[], params: string[], trainers: string[]): EChartsOption {
    const metricIndex = params.length + 1;
    return {
      legend: { top: 0, data: trainers },
      tooltip: { trigger: 'item' },
      parallelAxis: [
        ...params.map((p, i) => ({ dim: i, name: p, type: 'value' as const, scale: true, nameTextStyle: { color: '#333' } })),
        { dim: params.length, name: 'trainer', type: 'category' as const, data: trainers, nameTextStyle: { color: '#333' } },
        { dim: metricIndex, name: this.primaryMetric, type: 'value' as const, scale: true, nameTextStyle: { color: '#333', fontWeight: 'bold' as const } },
      ],
      parallel: { left: 60, right: 90, top: 50, bottom: 30 },
      series: trainers.map((trainer, i) => ({
        type: 'parallel' as const,
        name: trainer,
        lineStyle: { width: 2, opacity: 0.7, color: Palette[i % Palette.length] },
        data: trials.filter(t => t.trainer === trainer).map(t => ({
          name: t.trialId,
          value: [...params.map(p => num(t.parameters[p]) ?? '-'), trainer, num(t.metrics[this.primaryMetric]) ?? '-'],
        })),
      })),
    };
  }

  private scatterOption(trials: Trial[], parameter: string, trainers: string[]): EChartsOption {
    return {
      legend: { top: 0, data: trainers },
      tooltip: { trigger: 'item', formatter: (p: unknown) => { const v = (p as { data: { name: string; value: number[] } }).data; return `${v.name}: ${parameter}=${v.value[0]}, ${this.primaryMetric}=${v.value[1]}`; } },
      grid: { left: 70, right: 24, top: 40, bottom: 50 },
      xAxis: { type: 'value', name: parameter, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: this.primaryMetric, scale: true },
      series: trainers.map((trainer, i) => ({
        type: 'scatter' as const, name: trainer, symbolSize: 10, itemStyle: { color: Palette[i % Palette.length] },
        data: trials.filter(t => t.trainer === trainer && num(t.parameters[parameter]) !== null)
          .map(t => ({ name: t.trialId, value: [num(t.parameters[parameter]) as number, num(t.metrics[this.primaryMetric]) as number] })),
      })),
    };
  }

  render() {
    const board = this.trials.value;
    const trials = this.succeeded();
    const params = this.parameters(trials);
    const trainers = [...new Set(trials.map(t => t.trainer))].sort();
    const parameter = params.includes(this.parameter) ? this.parameter : params[0] ?? '';
    const total = num(board?.total) ?? 0;
    if (this.trials.error) return html`<problem-alert .error=${this.trials.error}></problem-alert>`;
    if (!board) return html`<p class="muted">Loading…</p>`;
    if (trials.length === 0) return html`<p class="muted">No trial has succeeded yet.</p>`;
    const parallelLabel = `Parallel coordinates of ${trials.length} trials: ${params.join(', ')}, trainer and ${this.primaryMetric}`;
    const scatterLabel = `Scatter of ${parameter} against ${this.primaryMetric} for ${trials.length} trials`;
    return html`
      <h3 id="parallel-heading">Parallel coordinates</h3>
      <p class="muted">${trials.length} trials${total > (board.trials.length ?? 0) ? `, the best ${board.trials.length} of ${total} by ${this.primaryMetric}` : ''}: each line is a trial, from its hyperparameters to its ${this.primaryMetric}.</p>
      <o-chart class="parallel" .option=${this.parallelOption(trials, params, trainers)} label=${parallelLabel}></o-chart>
      <h3>Parameter against ${this.primaryMetric}</h3>
      ${params.length ? html`
        <label for="scatter-parameter">Hyperparameter</label>
        <select id="scatter-parameter" @change=${(e: Event) => (this.parameter = (e.target as HTMLSelectElement).value)}>
          ${params.map(p => html`<option value=${p} ?selected=${p === parameter}>${p}</option>`)}
        </select>
        <o-chart class="scatter" .option=${this.scatterOption(trials, parameter, trainers)} label=${scatterLabel}></o-chart>` : html`<p class="muted">The trials have no numeric hyperparameter.</p>`}
      ${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-parallel': RunParallel; }
}
