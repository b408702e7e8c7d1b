// One chart: give it an ECharts option and an accessible label; it sizes to its box, redraws on change and on
// resize, and forwards clicks on data as a `chart-click` event (detail: ECharts' params).
import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { echarts, type EChartsOption } from './echarts.js';

@customElement('o-chart')
export class OChart extends LitElement {
  static styles = css`
    :host { display: block; position: relative; width: 100%; height: 280px; }
    /* A sparkline in a table cell: the cell is in another component's shadow root, out of the page's styles' reach. */
    :host([size="spark"]) { display: inline-block; width: 160px; height: 36px; }
    div { width: 100%; height: 100%; }
  `;

  @property({ attribute: false }) option: EChartsOption | null = null;
  /** What the chart shows, for screen readers (the chart is one image to them). */
  @property() label = '';

  private chart: ReturnType<typeof echarts.init> | null = null;
  private observer: ResizeObserver | null = null;

  render() {
    return html`<div role="img" aria-label=${this.label || 'chart'}></div>`;
  }

  firstUpdated() {
    const box = this.renderRoot.querySelector('div')!;
    this.chart = echarts.init(box, undefined, { renderer: 'canvas' });
    this.chart.on('click', params => this.dispatchEvent(new CustomEvent('chart-click', { detail: params, bubbles: true, composed: true })));
    this.observer = new ResizeObserver(() => this.chart?.resize());
    this.observer.observe(box);
    this.apply();
  }

  updated(changed: Map<string, unknown>) {
    if (changed.has('option')) this.apply();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.chart?.dispose();
    this.chart = null;
  }

  /** The chart's instance, for tests and for pages that need ECharts' own API. */
  get instance() {
    return this.chart;
  }

  private apply() {
    if (this.chart && this.option) // ECharts' aria description replaces the box's label: given one, it is the description.
      this.chart.setOption({ animation: false, aria: { enabled: true, ...(this.label ? { label: { description: this.label } } : {}) }, ...this.option }, true);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'o-chart': OChart; }
}
