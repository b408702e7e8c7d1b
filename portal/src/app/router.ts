// Client-side routes: each path pattern names a page component, loaded on first use (esbuild splits each page into
// its own chunk, so chart-heavy pages cost nothing until opened). Query strings carry a page's filters, so Back works
// and links can be shared; both hosts answer every such path with index.html.

export interface RouteMatch {
  tag: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

interface PageRoute {
  pattern: string;
  tag: string;
  load: () => Promise<unknown>;
}

export const routes: PageRoute[] = [
  { pattern: '/', tag: 'home-page', load: () => import('../pages/home-page.js') },
  { pattern: '/sign-in', tag: 'sign-in-page', load: () => import('../pages/sign-in-page.js') },
  { pattern: '/catalog', tag: 'catalog-page', load: () => import('../pages/catalog-page.js') },
  { pattern: '/catalog/:project/:dataset', tag: 'dataset-page', load: () => import('../pages/dataset-page.js') },
  { pattern: '/projects', tag: 'projects-page', load: () => import('../pages/projects-page.js') },
  { pattern: '/projects/:project', tag: 'project-page', load: () => import('../pages/project-page.js') },
  { pattern: '/runs/:runId', tag: 'run-page', load: () => import('../pages/run-page.js') },
  { pattern: '/approvals', tag: 'approvals-page', load: () => import('../pages/approvals-page.js') },
  { pattern: '/models', tag: 'models-page', load: () => import('../pages/models-page.js') },
  { pattern: '/models/:project', tag: 'models-page', load: () => import('../pages/models-page.js') },
  { pattern: '/monitoring', tag: 'monitoring-page', load: () => import('../pages/monitoring-page.js') },
  { pattern: '/monitoring/:project', tag: 'monitoring-page', load: () => import('../pages/monitoring-page.js') },
  { pattern: '/lineage/:kind/:id', tag: 'lineage-page', load: () => import('../pages/lineage-page.js') },
  { pattern: '/audit', tag: 'audit-page', load: () => import('../pages/audit-page.js') },
  { pattern: '/access', tag: 'access-page', load: () => import('../pages/access-page.js') },
];

/** The route of a location, or null (the shell shows "not found"). */
export function match(location: { pathname: string; search: string }): (RouteMatch & { load: () => Promise<unknown> }) | null {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    const parts = route.pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    parts.forEach((part, i) => {
      if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segments[i]);
      else if (part !== segments[i]) ok = false;
    });
    if (ok) return { tag: route.tag, params, query: new URLSearchParams(location.search), load: route.load };
  }
  return null;
}

/** Goes to a portal URL without reloading; `replace` for filter changes that should not pile up in history. */
export function navigate(url: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event('portal:navigate'));
}

/** Replaces the current URL's query (filters, paging, the open tab), keeping the path. */
export function setQuery(values: Record<string, string | number | null | undefined>, { replace = false } = {}): void {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') query.delete(key);
    else query.set(key, String(value));
  }
  const text = query.toString();
  navigate(location.pathname + (text ? `?${text}` : ''), { replace });
}

/** A path with its segments escaped: `href('/runs', id)`. */
export function href(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
