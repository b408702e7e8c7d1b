// Small helpers the ops pages (home, models, monitoring, lineage, audit, access) share: numbers the API may send as
// text, the portal page of a lineage node, and a project's KPIs as chart lines.
import { href } from '../app/router.js';

/** A number the API types as `number | string` (int64, doubles), or null. */
export function num(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The portal page of a lineage node (by its kind and id), or null when the portal has none. */
export function lineagePage(kind: string, id: string): string | null {
  const parts = id.split('/');
  switch (kind) {
    case 'dataset-version':
      return parts.length >= 3 ? `${href('/catalog', parts[0], parts.slice(1, -1).join('/'))}?version=${encodeURIComponent(parts[parts.length - 1])}` : null;
    case 'run':
      return href('/runs', id);
    case 'trial': {
      const dot = id.lastIndexOf('.');
      return dot > 0 ? `${href('/runs', id.slice(0, dot))}?trial=${encodeURIComponent(id.slice(dot + 1))}` : null;
    }
    case 'model-version':
    case 'deployment':
      return parts.length >= 2 ? href('/models', parts[0]) : null;
    case 'monitoring-report':
      return parts.length >= 2 ? href('/monitoring', parts[0]) : null;
    default:
      return null;
  }
}

/** The lineage page of a node. */
export function lineageLink(kind: string, id: string): string {
  return href('/lineage', kind, id);
}

/** Why a promotion to production may answer 403 in a four-eyes project. */
export function fourEyesNote(fourEyes: boolean | undefined): string {
  return fourEyes
    ? 'This project requires four eyes: whoever approved a model cannot promote it to production; another ML engineer has to.'
    : '';
}
