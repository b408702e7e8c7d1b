// Lineage: the graph around one node (a dataset version, run, trial, model version, deployment, monitoring report)
// drawn in layers — upstream to the left, downstream to the right, by distance — where clicking a node opens its page;
// the same nodes and edges as tables for keyboards and screen readers. Direction and depth live in the URL.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { navigate, setQuery } from '../app/router.js';
import { when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import type { EChartsOption } from '../charts/echarts.js';
import { lineageLink, lineagePage, num } from '../components/ops-util.js';
import '../components/data-table.js';
import '../components/problem-alert.js';
import '../charts/o-chart.js';

type Node = Schemas['LineageNodeView'];
type Edge = Schemas['LineageEdgeView'];

const Colours: Record<string, string> = {
  source: '#7a8797', raw: '#9aa5b1', 'dataset-version': '#1a7f37', run: '#0b5cad', trial: '#5b8fd1',
  'model-version': '#8a3ffc', deployment: '#b45309', 'monitoring-report': '#b42318',
};

const key = (n: { kind: string; id: string }) => `${n.kind}|${n.id}`;

/** Each node's layer: negative upstream of the root, positive downstream (breadth-first over the edges). */
function layers(view: Schemas['LineageView']): Map<string, number> {
  const layer = new Map<string, number>([[key(view.root), 0]]);
  for (const sign of [-1, 1]) {
    const seen = new Set([key(view.root)]);
    let frontier = [key(view.root)];
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const edge of view.edges) {
        const [near, far] = sign < 0 ? [key(edge.to), key(edge.from)] : [key(edge.from), key(edge.to)];
        if (frontier.includes(near) && !seen.has(far)) {
          seen.add(far);
          next.push(far);
          if (!layer.has(far)) layer.set(far, sign * depth);
        }
      }
      frontier = next;
    }
  }
  for (const node of view.nodes) if (!layer.has(key(node))) layer.set(key(node), num(node.distance) ?? 0);
  return layer;
}

function shortId(node: { kind: string; id: string }): string {
  return node.id.length > 24 ? `…${node.id.slice(-23)}` : node.id;
}

@customElement('lineage-page')
export class LineagePage extends LitElement {
  static styles = [shared, css`
    o-chart { height: 460px; border: 1px solid var(--o-border); border-radius: var(--o-radius); background: var(--o-surface); }
    form.controls { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
    form.controls label { margin: 0 0 0.2rem; }
    input[type='number'] { width: 5rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  private graph = new Loader<Schemas['LineageView']>(this, signal =>
    get<Schemas['LineageView']>(`/api/lineage/${encodeURIComponent(this.params.kind)}/${this.params.id.split('/').map(encodeURIComponent).join('/')}`,
      { direction: this.query.get('direction'), depth: this.query.get('depth') }, signal));
  private loaded = '';

  willUpdate() {
    const current = `${this.params.kind}|${this.params.id}|${this.query.get('direction') ?? ''}|${this.query.get('depth') ?? ''}`;
    if (current !== this.loaded) {
      this.loaded = current;
      void this.graph.load();
    }
  }

  render() {
    const { kind, id } = this.params;
    const page = lineagePage(kind, id);
    const view = this.graph.value;
    return html`<h1>Lineage <span class="muted">· ${kind} ${id}</span></h1>
      ${page ? html`<p><a href=${page}>Open the ${kind} page</a></p>` : nothing}
      <form class="controls" @submit=${this.apply}>
        <div><label for="direction">Direction</label>
          <select id="direction" name="direction">
            ${[['both', 'Both'], ['up', 'Upstream (where it came from)'], ['down', 'Downstream (what it became)']].map(([v, l]) =>
              html`<option value=${v} ?selected=${(this.query.get('direction') ?? 'both') === v}>${l}</option>`)}
          </select></div>
        <div><label for="depth">Depth</label><input id="depth" name="depth" type="number" min="0" max="50" .value=${this.query.get('depth') ?? '10'}></div>
        <div><button type="submit" class="secondary">Show</button></div>
      </form>
      <problem-alert .error=${this.graph.error}></problem-alert>
      ${!view ? (this.graph.error ? nothing : html`<p class="muted">Loading the graph…</p>`) : html`
        ${view.truncated ? html`<p class="muted">The graph was cut at the server's node limit; narrow the direction or depth.</p>` : nothing}
        <p class="muted">Upstream to the left, downstream to the right. Click a node to open its page.</p>
        <o-chart .option=${this.chart(view)} @chart-click=${this.open}
          label=${`Lineage graph of ${kind} ${id}: ${view.nodes.length} nodes, ${view.edges.length} edges (listed below)`}></o-chart>
        <h2>Nodes</h2>
        <section aria-label="Nodes of the graph"><data-table .columns=${this.nodeColumns()} .rows=${view.nodes}></data-table></section>
        <h2>Edges</h2>
        <section aria-label="Edges of the graph"><data-table .columns=${this.edgeColumns()} .rows=${view.edges}></data-table></section>`}`;
  }

  private nodeColumns(): Column<Node>[] {
    return [
      { key: 'kind', label: 'Kind', sortable: true },
      { key: 'id', label: 'Id', cell: n => { const page = lineagePage(n.kind, n.id); return page ? html`<a href=${page}>${n.id}</a>` : html`<span class="mono">${n.id}</span>`; } },
      { key: 'distance', label: 'Distance', numeric: true, sortable: true, value: n => num(n.distance) },
      { key: 'from', label: 'Lineage', cell: n => (key(n) === key(this.graph.value!.root) ? 'this node'
        : html`<a href=${lineageLink(n.kind, n.id)} aria-label=${`Lineage from here: ${n.kind} ${n.id}`}>Lineage from here</a>`) },
    ];
  }

  private edgeColumns(): Column<Edge>[] {
    return [
      { key: 'from', label: 'From', cell: e => `${e.from.kind} ${e.from.id}` },
      { key: 'type', label: 'Edge', sortable: true },
      { key: 'to', label: 'To', cell: e => `${e.to.kind} ${e.to.id}` },
      { key: 'at', label: 'When', sortable: true, cell: e => (e.at ? html`<span title=${e.at}>${when(e.at)}</span>` : '—') },
      { key: 'properties', label: 'Properties', cell: e => Object.entries(e.properties).map(([k, v]) => `${k}: ${v}`).join(', ') },
    ];
  }

  private chart(view: Schemas['LineageView']): EChartsOption {
    const layer = layers(view);
    const rows = new Map<number, number>();
    const root = key(view.root);
    const data = view.nodes.map(n => {
      const l = layer.get(key(n)) ?? 0;
      const row = rows.get(l) ?? 0;
      rows.set(l, row + 1);
      return {
        name: key(n), value: n.kind, x: l * 260, y: row * 120,
        label: { show: true, position: 'bottom', formatter: `${n.kind}\n${shortId(n)}`, fontSize: 11, lineHeight: 14, color: '#1c2430' },
        symbolSize: key(n) === root ? 26 : 18,
        itemStyle: { color: Colours[n.kind] ?? '#505c6c', borderColor: key(n) === root ? '#14273e' : '#fff', borderWidth: key(n) === root ? 3 : 1 },
        kind: n.kind, id: n.id,
      };
    });
    return {
      tooltip: { formatter: (p: unknown) => { const d = (p as { data?: { kind?: string; id?: string; source?: string; type?: string } }).data;
        return d?.kind ? `${d.kind}<br>${d.id}` : (d?.type ?? ''); } },
      series: [{
        type: 'graph', layout: 'none', roam: true, draggable: false,
        label: { position: 'bottom' }, edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
        lineStyle: { color: '#8a95a3', width: 1.5 },
        edgeLabel: { show: true, formatter: (p: unknown) => (p as { data: { type: string } }).data.type, fontSize: 10, color: '#505c6c' },
        data,
        links: view.edges.map(e => ({ source: key(e.from), target: key(e.to), type: e.type })),
      }],
    };
  }

  private open(event: CustomEvent) {
    const detail = event.detail as { dataType?: string; data?: { kind?: string; id?: string } };
    if (detail.dataType !== 'node' || !detail.data?.kind || !detail.data.id) return;
    const page = lineagePage(detail.data.kind, detail.data.id);
    if (page) navigate(page);
  }

  private apply(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    setQuery({ direction: value('direction') === 'both' ? null : value('direction'), depth: value('depth') === '10' ? null : value('depth') });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lineage-page': LineagePage; }
}
