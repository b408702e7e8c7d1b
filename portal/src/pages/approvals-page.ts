// Approvals: what waits for whom (GET /api/approvals, newest first, filtered and paged on the server, the filters in
// the URL). "Waiting for me" asks for those still waiting for the signed-in person. Resend and cancel for those who
// may manage approvals. One card per approval, so it reads on a phone.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { get, post } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { Loader } from '../app/loader.js';
import { ago, when } from '../app/format.js';
import { href, setQuery } from '../app/router.js';
import { session } from '../app/session.js';
import { shared } from '../styles/shared.js';
import type { ConfirmDialog } from '../components/confirm-dialog.js';
import { num } from '../components/project-metrics.js';
import '../components/confirm-dialog.js';
import '../components/page-pager.js';
import '../components/problem-alert.js';
import '../components/status-badge.js';

type Approval = Schemas['ApprovalView'];
const PageSize = 20;
const Statuses: Schemas['ApprovalStatus'][] = ['Pending', 'Approved', 'Rejected', 'Expired', 'Cancelled'];

@customElement('approvals-page')
export class ApprovalsPage extends LitElement {
  static styles = [shared, css`
    .filters { display: flex; gap: 0.8rem; flex-wrap: wrap; align-items: end; margin-bottom: 0.8rem; }
    .filters label { margin-top: 0; }
    .filters input[type='text'] { width: 12rem; }
    ul.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.8rem; }
    .card h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
    .card dl.facts { margin: 0.3rem 0; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.5rem; }
    .message { color: var(--o-ok); }
    @media (max-width: 640px) {
      .filters input[type='text'], .filters select { width: 100%; }
      .filters > div { flex: 1 1 100%; }
      dl.facts { grid-template-columns: 1fr; gap: 0; }
      dl.facts dd { margin-bottom: 0.3rem; }
    }
  `];

  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) query = new URLSearchParams();

  @state() private actionError: unknown = null;
  @state() private message = '';
  @state() private busy = '';
  @query('confirm-dialog') private dialog!: ConfirmDialog;

  private get mine() { return this.query.get('mine') === '1'; }
  /** The status filter: Pending unless the URL says otherwise ('all' for every status). */
  private get status() { return this.query.get('status') ?? 'pending'; }

  private approvals = new Loader(this, signal => get<Schemas['ApprovalsView']>('/api/approvals', {
    status: this.status === 'all' ? null : this.status,
    approver: this.mine ? session.me?.id : null,
    project: this.query.get('project'), run: this.query.get('run'),
    offset: this.query.get('offset'), limit: PageSize,
  }, signal));

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('query')) void this.approvals.load();
  }

  private filter(values: Record<string, string | null>) {
    setQuery({ ...values, offset: null }, { replace: false });
  }

  render() {
    const page = this.approvals.value;
    return html`<h1>Approvals</h1>
      <p class="muted">Who is asked to approve which candidate. Approvers decide through the link in their email.</p>
      <form class="filters" role="search" aria-label="Filter approvals" @submit=${this.submitFilters}>
        <div><label for="filter-status">Status</label>
          <select id="filter-status" @change=${(e: Event) => this.filter({ status: (e.target as HTMLSelectElement).value })}>
            ${Statuses.map(s => html`<option value=${s.toLowerCase()} ?selected=${this.status === s.toLowerCase()}>${s}</option>`)}
            <option value="all" ?selected=${this.status === 'all'}>Any status</option>
          </select></div>
        <div><label for="filter-project">Project</label>
          <input id="filter-project" name="project" type="text" .value=${this.query.get('project') ?? ''}></div>
        <div><label for="filter-run">Run</label>
          <input id="filter-run" name="run" type="text" .value=${this.query.get('run') ?? ''}></div>
        <div><button type="submit" class="secondary">Apply</button></div>
        <div><label class="inline"><input type="checkbox" .checked=${this.mine}
          @change=${(e: Event) => this.filter({ mine: (e.target as HTMLInputElement).checked ? '1' : null })}>Waiting for me</label></div>
      </form>
      ${this.message ? html`<p class="message" role="status">${this.message}</p>` : nothing}
      <problem-alert .error=${this.actionError}></problem-alert>
      <problem-alert .error=${this.approvals.error}></problem-alert>
      ${!page ? html`<p class="muted">Loading…</p>` : page.approvals.length === 0
        ? html`<p class="muted">${this.mine ? 'Nothing waits for you.' : 'No approval matches.'}</p>`
        : html`<ul class="cards" aria-label="Approvals">${page.approvals.map(a => this.card(a))}</ul>`}
      ${page ? html`<page-pager offset=${num(page.offset) ?? 0} limit=${num(page.limit) ?? PageSize} total=${num(page.total) ?? -1} count=${page.approvals.length}></page-pager>` : nothing}
      <confirm-dialog></confirm-dialog>`;
  }

  private card(a: Approval) {
    const waiting = a.approvers.filter(p => !a.decisions.some(d => d.approver === p));
    const approvals = a.decisions.filter(d => d.decision === 'approve').length;
    const manage = session.can('ApprovalManage', a.project) && a.status === 'Pending';
    return html`<li class="card">
      <h2><a href=${href('/runs', a.runId)}>${a.project} · run <code>${a.runId}</code></a></h2>
      <div class="row"><status-badge status=${a.status}></status-badge><span class="muted">asked ${ago(a.createdAt)}, candidate <code>${a.trialId}</code></span></div>
      <dl class="facts">
        ${a.status === 'Pending' ? html`<dt>Waiting for</dt><dd>${waiting.join(', ') || '—'}</dd>` : nothing}
        <dt>Approvals</dt><dd>${approvals} of ${a.quorum} needed · approvers ${a.approvers.join(', ')}</dd>
        <dt>Deadline</dt><dd>${when(a.expiresAt)}</dd>
        <dt>Started by</dt><dd>${a.requestedBy ?? '—'}</dd>
        ${num(a.reminders) ? html`<dt>Reminders</dt><dd>${a.reminders}</dd>` : nothing}
        ${a.escalated?.length ? html`<dt>Escalated to</dt><dd>${a.escalated.join(', ')}</dd>` : nothing}
        ${a.sendError ? html`<dt>Sending failed</dt><dd class="field-error">${a.sendError}</dd>` : nothing}
        ${a.decidedAt ? html`<dt>Decided</dt><dd>${when(a.decidedAt)} by ${a.decidedBy ?? '—'}${a.comment ? ` · “${a.comment}”` : ''}</dd>` : nothing}
      </dl>
      ${manage ? html`<div class="actions">
        <button type="button" class="secondary" ?disabled=${this.busy === a.approvalId} @click=${() => this.resend(a)}
          aria-label="Resend the emails for run ${a.runId}">Resend</button>
        <button type="button" class="danger" ?disabled=${this.busy === a.approvalId} @click=${() => this.cancel(a)}
          aria-label="Cancel the approval of run ${a.runId}">Cancel</button>
      </div>` : nothing}
    </li>`;
  }

  private submitFilters(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.filter({ project: String(form.get('project') ?? '').trim() || null, run: String(form.get('run') ?? '').trim() || null });
  }

  private async act(a: Approval, work: () => Promise<void>) {
    this.busy = a.approvalId;
    this.actionError = null;
    this.message = '';
    try { await work(); await this.approvals.load({ quiet: true }); } catch (error) { this.actionError = error; } finally { this.busy = ''; }
  }

  private async resend(a: Approval) {
    if (await this.dialog.ask({ title: 'Resend the approval emails?', message: `Approvers of run ${a.runId} who have not decided get fresh links.`, confirm: 'Resend' }) === null) return;
    await this.act(a, async () => { this.message = (await post<Schemas['ResendView']>(href('/api/approvals', a.approvalId) + '/resend')).message; });
  }

  private async cancel(a: Approval) {
    const reason = await this.dialog.ask({ title: 'Cancel the approval?', message: `Nobody can decide any more and run ${a.runId} ends Cancelled.`, confirm: 'Cancel approval', reason: true, danger: true });
    if (reason === null) return;
    await this.act(a, async () => {
      await post<Schemas['ApprovalView']>(href('/api/approvals', a.approvalId) + '/cancel', { comment: reason });
      this.message = `The approval of run ${a.runId} is cancelled.`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'approvals-page': ApprovalsPage; }
}
