// Loads what a page shows and keeps the page told: loading, the value, or the error (a problem the page renders with
// <problem-alert>). A newer load supersedes an older one still in flight, so a fast filter change never shows stale
// rows; `poll` reloads on an interval while the page is connected (a live run).
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class Loader<T> implements ReactiveController {
  value: T | undefined = undefined;
  error: unknown = null;
  loading = false;
  private generation = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private connected = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly fetcher: (signal: AbortSignal) => Promise<T>) {
    host.addController(this);
  }

  hostConnected() { this.connected = true; }

  hostDisconnected() {
    this.connected = false;
    this.stopPolling();
  }

  /** Loads again; answers the value (or undefined when it failed or was superseded). */
  async load({ quiet = false } = {}): Promise<T | undefined> {
    const generation = ++this.generation;
    const abort = new AbortController();
    if (!quiet) { this.loading = true; this.host.requestUpdate(); }
    try {
      const value = await this.fetcher(abort.signal);
      if (generation !== this.generation) return undefined;
      this.value = value;
      this.error = null;
      return value;
    } catch (error) {
      if (generation !== this.generation) return undefined;
      this.error = error;
      return undefined;
    } finally {
      if (generation === this.generation) { this.loading = false; this.host.requestUpdate(); }
    }
  }

  /** Reloads every `ms` quietly (no loading state) until `stopPolling` or the page goes away. */
  poll(ms: number) {
    this.stopPolling();
    this.timer = setInterval(() => { if (this.connected) void this.load({ quiet: true }); }, ms);
  }

  stopPolling() {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
