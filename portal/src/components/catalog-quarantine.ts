// The rows a version sent to quarantine, with every reason and the values as received. The API answers JSON Lines
// (every rejected row); this reads the stream line by line and stops after the first 100, so a large quarantine
// never loads whole.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type Problem } from '../api/client.js';
import { session } from '../app/session.js';
import { number } from '../app/format.js';
import { shared } from '../styles/shared.js';
import './problem-alert.js';

/** One line of `GET .../versions/{n}/quarantine`. */
export interface QuarantineLine {
  row: number;
  line?: number | null;
  reasons: { column: string; reason: string }[];
  values: Record<string, string | number | boolean | null>;
}

export const QuarantineShown = 100;

/** Reads up to `limit` JSON lines of `url`; answers them and whether more followed. */
export async function readQuarantine(url: string, limit: number, signal?: AbortSignal): Promise<{ rows: QuarantineLine[]; more: boolean }> {
  const headers = new Headers({ Accept: 'application/x-ndjson' });
  if (session.token) headers.set('Authorization', `Bearer ${session.token}`);
  let response: Response;
  try {
    response = await fetch(url, { headers, credentials: 'same-origin', signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'The server cannot be reached', detail: String(error) });
  }
  if (response.status === 401) session.signedOut();
  if (!response.ok) {
    let problem: Problem = { status: response.status, title: response.statusText };
    try { problem = { ...problem, ...(await response.json()) }; } catch { /* not JSON */ }
    throw new ApiError(problem);
  }
  const rows: QuarantineLine[] = [];
  if (!response.body) return { rows, more: false };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let more = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      if (rows.length >= limit) { more = true; break; }
      rows.push(JSON.parse(line) as QuarantineLine);
    }
    if (more || done) break;
  }
  if (!more && buffer.trim() && rows.length < limit) rows.push(JSON.parse(buffer) as QuarantineLine);
  else if (!more && buffer.trim()) more = true;
  if (more) await reader.cancel().catch(() => undefined);
  return { rows, more };
}

@customElement('catalog-quarantine')
export class CatalogQuarantine extends LitElement {
  static styles = [shared, css`
    ul { margin: 0; padding-left: 1.1rem; }
    td.values { font-family: var(--o-mono); font-size: 0.85rem; word-break: break-word; }
  `];

  /** The quarantine's URL (`quarantineUrl` of the version). */
  @property() src = '';
  /** How many rows the version quarantined (the report's count). */
  @property({ type: Number }) count = 0;

  @state() private rows: QuarantineLine[] | null = null;
  @state() private more = false;
  @state() private error: unknown = null;
  private abort: AbortController | null = null;

  updated(changed: Map<string, unknown>) {
    if (changed.has('src') && this.src) void this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private async load() {
    this.abort?.abort();
    this.abort = new AbortController();
    this.rows = null;
    this.error = null;
    try {
      const { rows, more } = await readQuarantine(this.src, QuarantineShown, this.abort.signal);
      this.rows = rows;
      this.more = more;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') this.error = error;
    }
  }

  render() {
    if (this.error) return html`<problem-alert .error=${this.error}></problem-alert>`;
    if (!this.rows) return html`<p class="muted">Loading the quarantined rows…</p>`;
    if (this.rows.length === 0) return html`<p class="muted">No row was quarantined.</p>`;
    const total = Math.max(this.count, this.rows.length);
    return html`
      ${this.more || total > this.rows.length
        ? html`<p class="muted">Showing the first ${this.rows.length} of ${number(total)} quarantined rows. All of them: <code>GET ${this.src}</code> (JSON Lines).</p>`
        : html`<p class="muted">${number(this.rows.length)} quarantined row${this.rows.length === 1 ? '' : 's'}.</p>`}
      <div class="table-wrap"><table>
        <caption class="muted">Quarantined rows with every failed check</caption>
        <thead><tr><th scope="col" class="num">Row</th><th scope="col" class="num">Line</th><th scope="col">Reasons</th><th scope="col">Values as received</th></tr></thead>
        <tbody>${this.rows.map(r => html`<tr>
          <td class="num">${r.row}</td>
          <td class="num">${r.line ?? '—'}</td>
          <td><ul>${r.reasons.map(x => html`<li><code>${x.column}</code>: ${x.reason}</li>`)}</ul></td>
          <td class="values">${Object.entries(r.values ?? {}).map(([k, v], i) => html`${i ? ', ' : nothing}${k}=${v === null ? '∅' : String(v)}`)}</td>
        </tr>`)}</tbody>
      </table></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-quarantine': CatalogQuarantine; }
}
