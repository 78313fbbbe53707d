/**
 * Politeness per host: a government web server is often one small machine, so the crawler sends it
 * at most `connectionsPerHost` requests at a time and spaces their starts by at least the configured
 * delay or the site's Crawl-delay, whichever is longer. Different hosts do not wait for each other.
 */

export interface HostSchedulerOptions {
  /** Requests in flight at once per host (default 1). */
  connectionsPerHost?: number;
  /** Least time between the starts of two requests to one host (default 1000 ms). */
  delayMs?: number;
  /** The clock, in milliseconds (default performance.now: monotonic). */
  now?: () => number;
}

interface Waiting {
  delayMs: number;
  start: () => void;
}

interface HostState {
  active: number;
  /** When the last request to the host started or ended, whichever is later: the next waits the gap from it. */
  lastStart?: number;
  /** Crawl-delay from robots.txt for this host. */
  crawlDelayMs: number;
  queue: Waiting[];
  /** Set while a wake-up is scheduled for the head of the queue. */
  timer?: NodeJS.Timeout;
}

export class HostScheduler {
  private readonly hosts = new Map<string, HostState>();
  private readonly connectionsPerHost: number;
  private readonly delayMs: number;
  private readonly now: () => number;

  constructor(options: HostSchedulerOptions = {}) {
    this.connectionsPerHost = Math.max(1, options.connectionsPerHost ?? 1);
    this.delayMs = Math.max(0, options.delayMs ?? 1000);
    this.now = options.now ?? (() => performance.now());
  }

  /** The host a URL is scheduled under: its hostname (http and https, any port, share one server). */
  static hostOf(url: string): string {
    return new URL(url).hostname.toLowerCase();
  }

  /** Records a robots.txt Crawl-delay for the host of `url` (or a hostname): later starts honour it. */
  setCrawlDelay(urlOrHost: string, delayMs: number): void {
    this.state(hostKey(urlOrHost)).crawlDelayMs = Math.max(0, delayMs);
  }

  /**
   * Runs `task` when the host of `url` has a free slot and the delay since the previous start has
   * passed (the largest of the scheduler's delay, the host's Crawl-delay and `options.delayMs`).
   * Requests to one host start in the order `run` was called.
   */
  async run<T>(url: string, task: () => Promise<T>, options: { delayMs?: number } = {}): Promise<T> {
    const host = hostKey(url);
    const state = this.state(host);
    await new Promise<void>((start) => {
      state.queue.push({ delayMs: Math.max(0, options.delayMs ?? 0), start });
      this.pump(host, state);
    });
    try {
      return await task();
    } finally {
      state.active--;
      // The gap runs from the end of the last request too: a slow response or a retry inside the
      // task must not let the next request follow on its heels.
      state.lastStart = this.now();
      this.pump(host, state);
    }
  }

  /** Requests waiting or running for a host (for progress reports). */
  pending(urlOrHost: string): number {
    const state = this.hosts.get(hostKey(urlOrHost));
    return state ? state.active + state.queue.length : 0;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, crawlDelayMs: 0, queue: [] };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Starts what may start now and schedules one wake-up for the next start that must wait. */
  private pump(host: string, state: HostState): void {
    if (state.timer) return;
    while (state.queue.length > 0 && state.active < this.connectionsPerHost) {
      const next = state.queue[0];
      const gap = Math.max(this.delayMs, state.crawlDelayMs, next.delayMs);
      const now = this.now();
      const earliest = state.lastStart === undefined ? now : state.lastStart + gap;
      if (now < earliest) {
        // Rounded up: a timer that fires a fraction early is simply set again.
        state.timer = setTimeout(() => {
          state.timer = undefined;
          this.pump(host, state);
        }, Math.ceil(earliest - now));
        return;
      }
      state.queue.shift();
      state.active++;
      state.lastStart = now;
      next.start();
    }
  }
}

function hostKey(urlOrHost: string): string {
  return urlOrHost.includes('://') ? HostScheduler.hostOf(urlOrHost) : urlOrHost.toLowerCase();
}
