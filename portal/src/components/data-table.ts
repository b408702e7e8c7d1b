// A table of rows with sortable columns (aria-sort on the header, a button to sort). Sorting is local unless the
// table is `external`, in which case it only says which sort was asked for (`sort-change`, detail: { key, descending })
// and the page asks the server. Cells render through the column's `cell` function, or show the row's value.
import { LitElement, html, nothing, type TemplateResult, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { shared } from '../styles/shared.js';

export interface Column<Row> {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  sortable?: boolean;
  /** The value to sort by (default: row[key]). */
  value?: (row: Row) => unknown;
  cell?: (row: Row) => TemplateResult | string | number | typeof nothing;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

@customElement('data-table')
export class DataTable<Row extends object = Record<string, unknown>> extends LitElement {
  // No style attributes: the portal's CSP (style-src 'self') refuses them.
  static styles = [shared, css`caption.caption { text-align: left; padding: 0.3rem 0.6rem; }`];

  @property({ attribute: false }) columns: Column<Row>[] = [];
  @property({ attribute: false }) rows: Row[] = [];
  /** What the table holds, for screen readers (its caption). */
  @property() label = '';
  @property() empty = 'Nothing to show.';
  /** The sorted column and direction; set by the page when the server sorts. */
  @property() sort = '';
  @property({ type: Boolean }) descending = false;
  @property({ type: Boolean }) external = false;
  /** A class for a row (a highlighted best trial, a failed ingest). */
  @property({ attribute: false }) rowClass: (row: Row) => string = () => '';

  @state() private localSort = '';
  @state() private localDescending = false;

  private get sortKey() { return this.external ? this.sort : this.localSort || this.sort; }
  private get sortDescending() { return this.external ? this.descending : this.localSort ? this.localDescending : this.descending; }

  private sorted(): Row[] {
    const column = this.columns.find(c => c.key === this.sortKey);
    if (this.external || !column) return this.rows;
    const value = column.value ?? ((row: Row) => (row as Record<string, unknown>)[column.key]);
    const sign = this.sortDescending ? -1 : 1;
    return [...this.rows].sort((a, b) => sign * compare(value(a), value(b)));
  }

  private toggle(column: Column<Row>) {
    const descending = this.sortKey === column.key ? !this.sortDescending : column.numeric === true;
    if (this.external) {
      this.dispatchEvent(new CustomEvent('sort-change', { detail: { key: column.key, descending }, bubbles: true, composed: true }));
    } else {
      this.localSort = column.key;
      this.localDescending = descending;
    }
  }

  render() {
    const rows = this.sorted();
    return html`<div class="table-wrap"><table>
      ${this.label ? html`<caption class="muted caption">${this.label}</caption>` : nothing}
      <thead><tr>${this.columns.map(c => {
        const sorted = this.sortKey === c.key;
        const aria = sorted ? (this.sortDescending ? 'descending' : 'ascending') : nothing;
        return html`<th scope="col" class=${c.numeric ? 'num' : ''} aria-sort=${c.sortable ? aria : nothing}>
          ${c.sortable ? html`<button class="sort" type="button" @click=${() => this.toggle(c)}>${c.label}${sorted ? (this.sortDescending ? ' ▼' : ' ▲') : ''}</button>` : c.label}
        </th>`;
      })}</tr></thead>
      <tbody>${rows.length === 0
        ? html`<tr><td colspan=${this.columns.length} class="muted">${this.empty}</td></tr>`
        : rows.map(row => html`<tr class=${this.rowClass(row)}>${this.columns.map(c => html`<td class=${c.numeric ? 'num' : ''}>${
          c.cell ? c.cell(row) : String((row as Record<string, unknown>)[c.key] ?? '')}</td>`)}</tr>`)}</tbody>
    </table></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'data-table': DataTable; }
}
