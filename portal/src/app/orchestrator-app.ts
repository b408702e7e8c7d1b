// The portal's shell: the header with the places the caller's permissions open, the signed-in person, and the page
// of the current URL (loaded on first use). Until /api/me answers with a caller, every URL shows the sign-in, and
// the URL is kept, so signing in lands where the link pointed.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { match, navigate } from './router.js';
import { session } from './session.js';
import type { Permission } from '../api/types.js';
import { shared } from '../styles/shared.js';

interface NavItem { href: string; label: string; permission: Permission; }

const Nav: NavItem[] = [
  { href: '/', label: 'Home', permission: 'Read' },
  { href: '/catalog', label: 'Catalog', permission: 'Read' },
  { href: '/projects', label: 'Projects & runs', permission: 'Read' },
  { href: '/approvals', label: 'Approvals', permission: 'Read' },
  { href: '/models', label: 'Models', permission: 'Read' },
  { href: '/monitoring', label: 'Monitoring', permission: 'Read' },
  { href: '/audit', label: 'Audit', permission: 'AuditRead' },
  { href: '/access', label: 'Access', permission: 'AccessAdmin' },
];

/** Properties every page receives from the shell. */
export interface PageElement extends HTMLElement {
  params: Record<string, string>;
  query: URLSearchParams;
}

@customElement('orchestrator-app')
export class OrchestratorApp extends LitElement {
  static styles = [shared, css`
    :host { display: block; min-height: 100vh; }
    header { background: #14273e; color: #fff; }
    .bar { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1rem; flex-wrap: wrap; max-width: 1400px; margin: 0 auto; }
    .brand { font-weight: 700; color: #fff; text-decoration: none; font-size: 1.1rem; margin-right: 0.5rem; }
    nav ul { display: flex; gap: 0.2rem; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
    nav a { color: #dfe8f3; text-decoration: none; padding: 0.3rem 0.6rem; border-radius: var(--o-radius); display: inline-block; }
    nav a:hover { background: #22406a; }
    nav a[aria-current='page'] { background: #2f5a93; color: #fff; }
    nav a:focus-visible, .who button:focus-visible { outline: 2px solid #fff; }
    .who { margin-left: auto; display: flex; gap: 0.6rem; align-items: center; font-size: 0.9rem; color: #dfe8f3; }
    .who button { background: transparent; border-color: #9fb6d3; color: #fff; padding: 0.2rem 0.6rem; }
    main { padding: 1rem; max-width: 1400px; margin: 0 auto; box-sizing: border-box; }
  `];

  @state() private page: PageElement | null = null;
  @state() private notFound = false;
  private current = '';

  connectedCallback() {
    super.connectedCallback();
    session.onChange(() => { this.requestUpdate(); void this.route(); });
    window.addEventListener('popstate', () => void this.route());
    window.addEventListener('portal:navigate', () => void this.route());
    // Portal links navigate without reloading; API links, downloads and new tabs keep the browser's behaviour.
    window.addEventListener('click', event => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.composedPath().find((e): e is HTMLAnchorElement => e instanceof HTMLAnchorElement);
      if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
      if (anchor.pathname.startsWith('/api/') || anchor.pathname.startsWith('/.auth/')) return;
      event.preventDefault();
      navigate(anchor.pathname + anchor.search + anchor.hash);
    });
    void session.refresh();
  }

  private async route() {
    if (!session.known) return;
    if (session.signedIn && location.pathname === '/sign-in') history.replaceState(null, '', '/');
    const target = session.signedIn ? match(location) : match({ pathname: '/sign-in', search: location.search });
    if (!target) {
      this.notFound = true;
      this.page = null;
      this.current = '';
      return;
    }
    this.notFound = false;
    const key = target.tag + JSON.stringify(target.params);
    await target.load();
    if (this.page && key === this.current) {
      this.page.query = target.query;
      return;
    }
    const page = document.createElement(target.tag) as PageElement;
    page.params = target.params;
    page.query = target.query;
    this.current = key;
    this.page = page;
  }

  render() {
    if (!session.known) return html`<main><p class="muted">Loading…</p></main>`;
    const me = session.me;
    return html`
      <header>
        <div class="bar">
          <a class="brand" href="/">Orchestrator</a>
          ${me ? html`<nav aria-label="Main"><ul>${Nav.filter(n => session.can(n.permission)).map(n => html`
            <li><a href=${n.href} aria-current=${this.isCurrent(n.href) ? 'page' : nothing}>${n.label}</a></li>`)}</ul></nav>
          <div class="who"><span title=${me.roles.join(', ')}>${me.id}</span>
            <button type="button" @click=${() => { session.signOut(); navigate('/'); }}>Sign out</button></div>` : nothing}
        </div>
      </header>
      <main>${this.notFound ? html`<h1>Not found</h1><p>No page at <code>${location.pathname}</code>. <a href="/">Home</a></p>` : this.page}</main>`;
  }

  private isCurrent(href: string): boolean {
    return href === '/' ? location.pathname === '/' : location.pathname === href || location.pathname.startsWith(href + '/');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'orchestrator-app': OrchestratorApp; }
}
