// A dataset version as an upload or a landing ingest leaves it: its link and status, and once Ready the rows curated,
// quarantined and received (a status region, so a screen reader hears the outcome); `followVersion` polls a version
// while it is still being ingested.
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { get } from '../api/client.js';
import type { Schemas } from '../api/types.js';
import { href } from '../app/router.js';
import { number } from '../app/format.js';
import { shared } from '../styles/shared.js';
import './status-badge.js';

type VersionView = Schemas['DatasetVersionView'];

/** Whether a version's ingestion has not decided yet. */
export const stillIngesting = (status: string) => status === 'Pending' || status === 'Ingesting';

/**
 * Polls the version at `url` once a second until it is no longer being ingested; `progress` sees each version still
 * running. Answers null when `active` turns false first (the element left the page).
 */
export async function followVersion(url: string, progress: (version: VersionView) => void, active: () => boolean): Promise<VersionView | null> {
  while (active()) {
    const version = await get<VersionView>(url);
    if (!stillIngesting(version.status)) return version;
    progress(version);
    await new Promise(r => setTimeout(r, 1000));
  }
  return null;
}

@customElement('catalog-version-result')
export class CatalogVersionResult extends LitElement {
  static styles = [shared];

  @property({ attribute: false }) version: VersionView | null = null;
  /** The project to link under when the version does not name it. */
  @property() project = '';

  render() {
    const v = this.version;
    if (!v) return nothing;
    const link = href('/catalog', v.project || this.project, v.dataset) + `?version=${v.version}`;
    return html`<div role="status">
      <p>Version <a href=${link}>${v.dataset}:${v.version}</a> <status-badge status=${v.status}></status-badge>
        ${v.existing ? html`<span class="muted">— these bytes were already this version</span>` : nothing}</p>
      ${v.status === 'Ready' ? html`<p>${number(Number(v.rowsOut))} rows curated, ${number(Number(v.rowsQuarantined))} quarantined, of ${number(Number(v.rowsIn))} received.</p>` : nothing}
      ${v.error ? html`<p class="field-error">${v.error}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'catalog-version-result': CatalogVersionResult; }
}
