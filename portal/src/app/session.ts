// Who is signed in: the development token (kept for this browser tab only) or App Service authentication's session
// cookie, and what GET /api/me says the caller may do. Pages ask `session.can(permission, project)` to decide which actions to show;
// the API still checks every call.
import type { MeView, Permission } from '../api/types.js';

const TokenKey = 'orchestrator.token';

type Listener = () => void;

class Session {
  me: MeView | null = null;
  /** Whether /api/me has been asked since the last sign-in (before that the shell shows nothing). */
  known = false;
  private listeners = new Set<Listener>();

  get token(): string | null {
    return sessionStorage.getItem(TokenKey);
  }

  set token(value: string | null) {
    if (value) sessionStorage.setItem(TokenKey, value);
    else sessionStorage.removeItem(TokenKey);
  }

  get signedIn(): boolean {
    return this.me !== null;
  }

  /**
   * True when the caller holds the permission in `project` (every project's grants and that project's), or, without a
   * project, in some project (the API still refuses it where they do not).
   */
  can(permission: Permission, project?: string): boolean {
    const me = this.me;
    if (!me) return false;
    if (project === undefined) return me.permissions.includes(permission);
    return me.everywhere.includes(permission) || (me.projects[project] ?? []).includes(permission);
  }

  hasRole(role: string): boolean {
    return (this.me?.roles ?? []).includes(role) || (this.me?.grants ?? []).some(g => g.role === role);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the API who the caller is; a 401 leaves the session signed out. */
  async refresh(): Promise<void> {
    const { get } = await import('../api/client.js');
    try {
      this.me = await get<MeView>('/api/me');
    } catch {
      this.me = null;
    }
    this.known = true;
    this.notify();
  }

  async signInWithToken(token: string): Promise<void> {
    this.token = token;
    await this.refresh();
  }

  /** The API answered 401: the token expired or was never valid. */
  signedOut(): void {
    if (this.me === null && this.known) return;
    this.token = null;
    this.me = null;
    this.known = true;
    this.notify();
  }

  signOut(): void {
    this.token = null;
    this.me = null;
    this.known = true;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const session = new Session();
