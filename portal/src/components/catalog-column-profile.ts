// One column of a version's data-quality report: its type, null share, range and spread, the 20-bin histogram
// (dates as days since 1970, drawn as dates) and, for categorical, boolean and text columns, the top values.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Schemas } from '../api/types.js';
import { number, percent } from '../app/format.js';
import type { EChartsOption } from '../charts/echarts.js';
import { shared } from '../styles/shared.js';
import '../charts/o-chart.js';

type Profile = Schemas['ColumnProfile'];

const DayMs = 86_400_000;

function value(type: string, x: number | null): string {
  if (x === null || Number.isNaN(x)) return '—';
  if (type === 'date') return new Date(Math.round(x) * DayMs).toISOString().slice(0, 10);
  return number(x, 4);
}

@customElement('catalog-column-profile')
export class CatalogColumnProfile extends LitElement {
  static styles = [shared, css`
    :host { display: block; }
    .card { height: 100%; box-sizing: border-box; }
    o-chart { height: 180px; }
    dl.facts { font-size: 0.92rem; }
    .bad { color: var(--o-bad); font-weight: 600; }
    table { font-size: 0.9rem; }
  `];

  @property({ attribute: false }) profile: Profile | null = null;

  private histogram(p: Profile): EChartsOption | null {
    const h = p.histogram;
    if (!h || h.counts.length === 0) return null;
    const edges = h.edges.map(Number);
    const labels = h.counts.map((_, i) => `${value(p.type, edges[i])} – ${value(p.type, edges[i + 1] ?? edges[i])}`);
    return {
      grid: { left: 40, right: 8, top: 10, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, axisLabel: { show: false }, axisTick: { show: false } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: 'Rows', data: h.counts.map(Number), barCategoryGap: '5%', itemStyle: { color: '#0b5cad' } }],
    };
  }

  render() {
    const p = this.profile;
    if (!p) return nothing;
    const option = this.histogram(p);
    const nullShare = Number(p.nullShare);
    const toNumber = (x: number | string | null) => (x === null ? null : Number(x));
    return html`<section class="card" aria-labelledby="col-title">
      <h3 id="col-title"><code>${p.name}</code> <span class="badge info">${p.type}</span></h3>
      <dl class="facts">
        <dt>Null share</dt><dd class=${nullShare > 0 ? 'bad' : ''}>${percent(nullShare)} <span class="muted">(${number(Number(p.nulls))} of ${number(Number(p.count))})</span></dd>
        ${p.min !== null ? html`<dt>Min – max</dt><dd>${value(p.type, toNumber(p.min))} – ${value(p.type, toNumber(p.max))}</dd>` : nothing}
        ${p.mean !== null ? html`<dt>Mean ± std</dt><dd>${value(p.type === 'date' ? 'date' : 'number', toNumber(p.mean))}${p.std !== null ? html` ± ${number(Number(p.std), 3)}${p.type === 'date' ? ' days' : ''}` : nothing}</dd>` : nothing}
        ${p.distinctValues !== null ? html`<dt>Distinct</dt><dd>${number(Number(p.distinctValues))}</dd>` : nothing}
      </dl>
      ${option ? html`<o-chart .option=${option} label=${`Histogram of ${p.name}: ${p.histogram!.counts.length} bins from ${value(p.type, Number(p.histogram!.edges[0]))} to ${value(p.type, Number(p.histogram!.edges[p.histogram!.edges.length - 1]))}`}></o-chart>` : nothing}
      ${p.topValues.length ? html`<table>
        <caption class="muted">Top values of ${p.name}</caption>
        <thead><tr><th scope="col">Value</th><th scope="col" class="num">Rows</th></tr></thead>
        <tbody>${p.topValues.map(v => html`<tr><td>${v.value}</td><td class="num">${number(Number(v.count))}</td></tr>`)}</tbody>
      </table>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-column-profile': CatalogColumnProfile; }
}
