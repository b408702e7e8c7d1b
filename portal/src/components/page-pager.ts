// Paging of a server-side list: "Showing 101–200 of 1,234" and Previous/Next links that change the URL's `offset`
// (so Back and shared links keep the page). The page reads `offset` from its query and asks the server for it.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { shared } from '../styles/shared.js';

@customElement('page-pager')
export class PagePager extends LitElement {
  static styles = [shared];

  @property({ type: Number }) offset = 0;
  @property({ type: Number }) limit = 50;
  /** Every row the server has for the filters; -1 when it does not say. */
  @property({ type: Number }) total = -1;
  /** Rows on this page (to know whether there is a next one when the total is unknown). */
  @property({ type: Number }) count = 0;
  /** The query parameter the offset lives in. */
  @property() param = 'offset';

  private link(offset: number): string {
    const query = new URLSearchParams(location.search);
    if (offset <= 0) query.delete(this.param);
    else query.set(this.param, String(offset));
    const text = query.toString();
    return location.pathname + (text ? `?${text}` : '');
  }

  render() {
    const first = this.count === 0 ? 0 : this.offset + 1;
    const last = this.offset + this.count;
    const hasNext = this.total >= 0 ? last < this.total : this.count >= this.limit;
    return html`<nav class="row" aria-label="Pages">
      <span class="muted">${this.count === 0 ? 'None' : `Showing ${first.toLocaleString()}–${last.toLocaleString()}`}${this.total >= 0 ? ` of ${this.total.toLocaleString()}` : ''}</span>
      ${this.offset > 0 ? html`<a class="button secondary" href=${this.link(Math.max(0, this.offset - this.limit))}>Previous</a>` : nothing}
      ${hasNext ? html`<a class="button secondary" href=${this.link(this.offset + this.limit)}>Next</a>` : nothing}
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'page-pager': PagePager; }
}
