// A run as a Gantt chart from its own records: data engineering (run created → first trial), the trials packed into
// lanes (one bar per trial from startedAt to endedAt; a new lane only when trials overlap, so the lanes show how many
// ran at once), the approval wait (its creation → its decision, or now while pending) and the deployment (the
// decision → the run's last update once Completed). ECharts custom series.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import type { Schemas } from '../api/types.js';
import type { EChartsOption } from '../charts/echarts.js';
import { duration } from '../app/format.js';
import { shared } from '../styles/shared.js';
import '../charts/o-chart.js';

type Kind = 'data' | 'trial' | 'failed' | 'approval' | 'deployment';
interface Bar { lane: number; start: number; end: number; name: string; kind: Kind; }

const Colours: Record<Kind, string> = {
  data: '#5b7fa6', trial: '#2f7d4f', failed: '#b3261e', approval: '#a35f00', deployment: '#5a3e99',
};

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : NaN);

/** The bars and lane names of a run (exported for tests of the layout). */
export function timeline(run: Schemas['RunView'], trials: Schemas['LeaderboardEntry'][], now = Date.now()) {
  const ended = !['Running', 'AwaitingApproval'].includes(run.status);
  const last = ended ? time(run.updatedAt) : now;
  const bars: Bar[] = [];
  const lanes: string[] = ['Data engineering'];
  const timed = trials.filter(t => t.startedAt)
    .map(t => ({ t, start: time(t.startedAt), end: t.endedAt ? time(t.endedAt) : last }))
    .sort((a, b) => a.start - b.start);
  const firstTrial = timed.length ? timed[0].start : (run.stage === 'DataEngineering' ? last : NaN);
  const created = time(run.createdAt);
  if (!Number.isNaN(firstTrial)) bars.push({ lane: 0, start: created, end: Math.max(created, firstTrial), name: 'Data engineering', kind: 'data' });
  // Greedy interval packing: each trial takes the first lane free at its start.
  const laneEnds: number[] = [];
  for (const { t, start, end } of timed) {
    let slot = laneEnds.findIndex(e => e <= start);
    if (slot < 0) { slot = laneEnds.length; laneEnds.push(end); lanes.push(`Trials ${slot + 1}`); } else laneEnds[slot] = end;
    bars.push({ lane: slot + 1, start, end: Math.max(end, start), name: `${t.trialId} ${t.trainer}`, kind: t.status === 'Failed' ? 'failed' : 'trial' });
  }
  if (laneEnds.length === 0) lanes.push('Trials');
  const approval = run.approval;
  if (approval) {
    const lane = lanes.push('Approval') - 1;
    const lastTrial = timed.length ? Math.max(...timed.map(x => x.end)) : created;
    const start = approval.createdAt ? time(approval.createdAt) : lastTrial;
    const end = approval.decidedAt ? time(approval.decidedAt) : approval.status === 'Pending' ? last : time(run.updatedAt);
    bars.push({ lane, start, end: Math.max(start, end), name: `Approval (${approval.status})`, kind: 'approval' });
    if (approval.decidedAt && (run.stage === 'Deployment' || run.status === 'Completed')) {
      const lane2 = lanes.push('Deployment') - 1;
      const d = time(approval.decidedAt);
      bars.push({ lane: lane2, start: d, end: Math.max(d, run.status === 'Completed' ? time(run.updatedAt) : last), name: 'Deployment', kind: 'deployment' });
    }
  }
  return { bars: bars.filter(b => !Number.isNaN(b.start) && !Number.isNaN(b.end)), lanes };
}

@customElement('run-timeline')
export class RunTimeline extends LitElement {
  static styles = [shared, css`o-chart { height: 260px; }`];

  @property({ attribute: false }) run: Schemas['RunView'] | null = null;
  @property({ attribute: false }) trials: Schemas['LeaderboardEntry'][] = [];
  /** Trials the run has beyond those drawn (the chart draws at most a capped page). */
  @property({ type: Number }) total = 0;

  private height = 260;

  // The chart's height follows its lanes; set through the CSSOM (a style attribute would break the CSP).
  updated() {
    const chart = this.renderRoot.querySelector('o-chart');
    if (chart) chart.style.height = `${this.height}px`;
  }

  render() {
    if (!this.run) return nothing;
    const { bars, lanes } = timeline(this.run, this.trials);
    this.height = Math.min(900, 90 + lanes.length * 28);
    const option: EChartsOption = {
      tooltip: {
        formatter: (p: unknown) => {
          const v = (p as { value: [number, number, number, string] }).value;
          return `${v[3]}<br>${duration(v[2] - v[1])}`;
        },
      },
      grid: { left: 130, right: 24, top: 16, bottom: 56 },
      dataZoom: [{ type: 'slider', xAxisIndex: 0, height: 18, bottom: 8 }, { type: 'inside', xAxisIndex: 0 }],
      xAxis: { type: 'time', scale: true },
      yAxis: { type: 'category', data: lanes, inverse: true },
      series: [{
        type: 'custom',
        name: 'Timeline',
        encode: { x: [1, 2], y: 0 },
        data: bars.map(b => ({ value: [b.lane, b.start, b.end, b.name], itemStyle: { color: Colours[b.kind] } })),
        renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
          const lane = api.value(0) as number;
          const from = api.coord([api.value(1), lane]);
          const to = api.coord([api.value(2), lane]);
          const h = (api.size?.([0, 1]) as number[])[1] * 0.6;
          return {
            type: 'rect',
            shape: { x: from[0], y: from[1] - h / 2, width: Math.max(2, to[0] - from[0]), height: h },
            style: { fill: api.visual('color') as string },
          };
        },
      }],
    };
    const label = `Timeline of run ${this.run.runId}: ${bars.length} bars over ${lanes.length} lanes (${lanes.join(', ')}).`;
    return html`<o-chart .option=${option} label=${label}></o-chart>
      <p class="muted">Lanes: data engineering, trials (a new lane only when trials overlap), the approval wait and the deployment.
        ${this.total > this.trials.length ? `Drawn: the first ${this.trials.length} of ${this.total} trials by the primary metric.` : ''}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-timeline': RunTimeline; }
}
