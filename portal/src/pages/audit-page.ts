// Audit: the append-only log (Admin, Auditor) — filters (target prefix, actor, action, from, to) in the URL, newest
// first, a page of `limit` entries; "Older" moves the query's end to the last entry shown (the API pages by time).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { when } from '../app/format.js';
import { shared } from '../styles/shared.js';
import type { Column } from '../components/data-table.js';
import { num } from '../components/ops-util.js';
import '../components/data-table.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';

type Entry = Schemas['AuditEntry'];
const Limit = 50;
const Actions = ['dataset.ingest', 'dataset.update', 'project.put', 'run.start', 'run.rerun', 'run.cancel', 'approval.decide', 'approval.resend',
  'model.promote', 'model.rollback', 'monitoring.settings', 'monitoring.run', 'webhook.create', 'webhook.delete', 'access.grant', 'access.revoke',
  'access.denied', 'login.failed'];
const Filters = ['target', 'actor', 'action', 'from', 'to'] as const;

/** A date input's value as the start (or end) of that day in ISO, or the ISO text as given. */
function isoOf(value: string, end: boolean): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString();
  return value;
}

@customElement('audit-page')
export class AuditPage extends LitElement {
  static styles = [shared, css`
    form.filters { display: grid; gap: 0.5rem 1rem; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); align-items: end; }
    form.filters label { margin: 0 0 0.2rem; }
    form.filters input { width: 100%; }
    .actions { display: flex; gap: 0.5rem; }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  private log = new Loader<Entry[]>(this, async signal => {
    const q = this.query;
    const before = q.get('before');
    const view = await get<Schemas['AuditView']>('/api/audit', {
      target: q.get('target'), actor: q.get('actor'), action: q.get('action'),
      from: isoOf(q.get('from') ?? '', false), to: before ?? isoOf(q.get('to') ?? '', true),
      limit: Number(q.get('limit')) || Limit, order: 'newest',
    }, signal);
    // The entry the previous page ended with (and any at the same instant before it) was shown already.
    const seen = view.entries.findIndex(e => e.id === q.get('after'));
    return seen >= 0 ? view.entries.slice(seen + 1) : view.entries;
  });
  private loaded = '';

  willUpdate() {
    const current = this.query.toString();
    if (current !== this.loaded && session.can('AuditRead')) {
      this.loaded = current;
      void this.log.load();
    }
  }

  render() {
    if (!session.can('AuditRead')) return html`<h1>Audit</h1><p>Reading the audit log needs the Admin or Auditor role (in every project).</p>`;
    const q = this.query;
    const entries = this.log.value ?? [];
    const limit = Number(q.get('limit')) || Limit;
    const last = entries[entries.length - 1];
    return html`<h1>Audit</h1>
      <form class="filters" role="search" aria-label="Audit filters" @submit=${this.apply}>
        <div><label for="target">Target <span class="muted">(prefix)</span></label><input id="target" name="target" placeholder="projects/weather" .value=${q.get('target') ?? ''}></div>
        <div><label for="actor">Actor</label><input id="actor" name="actor" type="text" .value=${q.get('actor') ?? ''}></div>
        <div><label for="action">Action</label><input id="action" name="action" list="actions" .value=${q.get('action') ?? ''}>
          <datalist id="actions">${Actions.map(a => html`<option value=${a}></option>`)}</datalist></div>
        <div><label for="from">From</label><input id="from" name="from" type="date" .value=${(q.get('from') ?? '').slice(0, 10)}></div>
        <div><label for="to">To</label><input id="to" name="to" type="date" .value=${(q.get('to') ?? '').slice(0, 10)}></div>
        <div class="actions"><button type="submit">Filter</button>
          <button type="button" class="secondary" @click=${() => setQuery(Object.fromEntries([...Filters, 'before', 'after'].map(k => [k, null])))}>Clear</button></div>
      </form>
      <p class="muted">Newest first; without dates, the last 7 days (at most 92 days per query).</p>
      <problem-alert .error=${this.log.error}></problem-alert>
      ${this.log.loading && !this.log.value ? html`<p class="muted">Loading…</p>` : nothing}
      <section aria-label="Audit entries, newest first"><data-table .columns=${this.columns()} .rows=${entries} empty="No entry matches."></data-table></section>
      <nav class="row" aria-label="Pages">
        <span class="muted">${entries.length} entries${q.get('before') ? html` before <span title=${q.get('before')!}>${when(q.get('before'))}</span>` : ''}</span>
        ${q.get('before') ? html`<a class="button secondary" href=${this.link(null)}>Newest</a>` : nothing}
        ${entries.length >= limit - 1 && last ? html`<a class="button secondary" href=${this.link(last)}>Older</a>` : nothing}
      </nav>`;
  }

  private columns(): Column<Entry>[] {
    return [
      { key: 'at', label: 'When', cell: e => html`<span title=${e.at}>${when(e.at)}</span>` },
      { key: 'actor', label: 'Actor', sortable: true },
      { key: 'role', label: 'Role', cell: e => e.role ?? '—' },
      { key: 'action', label: 'Action', sortable: true, cell: e => html`<code>${e.action}</code>` },
      { key: 'target', label: 'Target', cell: e => html`<span class="mono">${e.target}</span>` },
      { key: 'project', label: 'Project', cell: e => e.project ?? '—' },
      { key: 'outcome', label: 'Outcome', sortable: true, cell: e => html`<status-badge status=${e.outcome}></status-badge> <span class="muted">${e.status}</span>` },
      { key: 'count', label: 'Count', numeric: true, cell: e => String(num(e.count) ?? 1) },
      { key: 'detail', label: 'Detail', cell: e => html`${e.detail ?? ''}${e.correlationId ? html`<br><span class="muted mono" title="Correlation id">${e.correlationId}</span>` : nothing}` },
    ];
  }

  private link(last: Entry | null): string {
    const query = new URLSearchParams(location.search);
    if (last) { query.set('before', last.at); query.set('after', last.id); } else { query.delete('before'); query.delete('after'); }
    const text = query.toString();
    return location.pathname + (text ? `?${text}` : '');
  }

  private apply(event: Event) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values: Record<string, string | null> = { before: null, after: null };
    for (const name of Filters) values[name] = (form.elements.namedItem(name) as HTMLInputElement).value.trim() || null;
    setQuery(values);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'audit-page': AuditPage; }
}
