// The leaderboard of a run, sorted and paged on the server (GET /api/runs/{id}/trials?sort=metric:desc&offset=&limit=;
// the sort and offset live in the URL as `sort` and `offset`). Metric columns sort by a click on their header; values
// that meet or miss a KPI are marked (a sign and words, not colour alone). Trials picked with their checkbox are
// compared below (across pages).
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { number } from '../app/format.js';
import { href, setQuery } from '../app/router.js';
import { shared } from '../styles/shared.js';
import type { Column } from './data-table.js';
import { kpiText, lowerIsBetter, meets, num } from './project-metrics.js';
import './data-table.js';
import './page-pager.js';
import './problem-alert.js';
import './run-compare.js';
import './status-badge.js';

type Trial = Schemas['LeaderboardEntry'];
export const LeaderboardPage = 25;

@customElement('run-leaderboard')
export class RunLeaderboard extends LitElement {
  // Cells render inside <data-table>'s shadow root: only the shared classes (badge, mono, muted) style them.
  static styles = [shared];

  @property() runId = '';
  @property() primaryMetric = '';
  @property({ attribute: false }) metrics: string[] = [];
  @property({ attribute: false }) kpis: Schemas['Kpi'][] = [];
  /** `metric:asc|desc` from the URL, or '' for the primary metric best first. */
  @property() sort = '';
  @property({ type: Number }) offset = 0;
  /** Changes whenever the run has moved on (more trials), to load again. */
  @property() revision = '';

  @state() private selected = new Map<string, Trial>();

  private board = new Loader(this, signal => get<Schemas['LeaderboardView']>(href('/api/runs', this.runId) + '/trials',
    { sort: this.sort || null, offset: this.offset || null, limit: LeaderboardPage }, signal));

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('runId') || changed.has('sort') || changed.has('offset') || changed.has('revision'))
      void this.board.load({ quiet: this.board.value !== undefined && !changed.has('sort') && !changed.has('offset') });
  }

  private metricColumn(metric: string): Column<Trial> {
    const kpis = this.kpis.filter(k => k.metric === metric);
    const bounds = kpis.map(kpiText).join(', ');
    return {
      key: metric, label: `${metric}${bounds ? ` (KPI ${bounds})` : ''}`, numeric: true, sortable: true,
      cell: t => {
        const value = num(t.metrics[metric]);
        if (value === null) return '—';
        const verdicts = kpis.map(k => meets(k, value));
        if (verdicts.length === 0) return number(value);
        const ok = verdicts.every(v => v !== false);
        return html`${number(value)} <span class="badge ${ok ? 'ok' : 'bad'}" title=${`KPI ${bounds}`}>${ok ? '✓ meets' : '✗ misses'}</span>`;
      },
    };
  }

  private columns(): Column<Trial>[] {
    const metrics = [this.primaryMetric, ...this.metrics.filter(m => m !== this.primaryMetric)].filter(Boolean);
    return [
      { key: 'select', label: 'Compare', cell: t => html`<input type="checkbox" aria-label="Compare ${t.trialId}" .checked=${this.selected.has(t.id)}
          @change=${(e: Event) => this.toggle(t, (e.target as HTMLInputElement).checked)}>` },
      { key: 'rank', label: 'Rank', numeric: true, cell: t => (t.rank === null ? '—' : String(t.rank)) },
      { key: 'trialId', label: 'Trial', cell: t => html`<code>${t.trialId}</code>` },
      { key: 'trainer', label: 'Trainer' },
      { key: 'parameters', label: 'Hyperparameters', cell: t => html`<span class="mono">${Object.entries(t.parameters).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</span>` },
      ...metrics.map(m => this.metricColumn(m)),
      { key: 'status', label: 'Status', cell: t => html`<status-badge status=${t.status}></status-badge>${t.error ? html` <span class="muted">${t.error}</span>` : nothing}` },
      { key: 'trainingSeconds', label: 'Training s', numeric: true, cell: t => number(num(t.trainingSeconds), 3) },
    ];
  }

  private toggle(trial: Trial, on: boolean) {
    const selected = new Map(this.selected);
    if (on) selected.set(trial.id, trial); else selected.delete(trial.id);
    this.selected = selected;
  }

  private sorted(event: CustomEvent<{ key: string; descending: boolean }>) {
    setQuery({ sort: `${event.detail.key}:${event.detail.descending ? 'desc' : 'asc'}`, offset: null });
  }

  render() {
    const board = this.board.value;
    const [sortKey, direction] = (board?.sort ?? this.sort ?? '').split(':');
    const key = sortKey || this.primaryMetric;
    const descending = direction ? direction === 'desc' : !lowerIsBetter(key);
    return html`<problem-alert .error=${this.board.error}></problem-alert>
      <data-table external .columns=${this.columns()} .rows=${board?.trials ?? []} sort=${key} ?descending=${descending}
        empty=${this.board.loading ? 'Loading…' : 'No trial has finished yet.'} @sort-change=${this.sorted}></data-table>
      ${board ? html`<page-pager offset=${num(board.offset) ?? 0} limit=${num(board.limit) ?? LeaderboardPage} total=${num(board.total) ?? -1} count=${board.trials.length}></page-pager>` : nothing}
      <h3>Compare trials</h3>
      ${this.selected.size ? html`<p class="row"><span class="muted">${this.selected.size} selected</span>
        <button type="button" class="secondary" @click=${() => (this.selected = new Map())}>Clear selection</button></p>` : nothing}
      <run-compare .trials=${[...this.selected.values()]}></run-compare>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'run-leaderboard': RunLeaderboard; }
}
