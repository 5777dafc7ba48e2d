import { summarize, type Summary } from "./stats";

/**
 * Open-loop traffic for the soak: each kind of request starts at its own fixed rate whether or
 * not the previous ones have answered (as independent shoppers, providers and merchants do), up
 * to a cap of requests in flight per kind, beyond which a start is counted as skipped rather
 * than piling up. Every answer is timed and checked by its kind; anything else is an error.
 */
export type TrafficKind = {
  name: string;
  perSecond: number;
  /** Does one request; throws (with a short reason) on anything but the expected answer. */
  send: (i: number) => Promise<void>;
};

type Window = { latencies: number[]; errors: number; skipped: number };

export type KindTotals = { requests: number; errors: number; skipped: number; latency: Summary; errorSamples: string[] };

const MAX_IN_FLIGHT = 32;

export class Traffic {
  private windows = new Map<string, Window>();
  private totals = new Map<string, { latencies: number[]; errors: number; skipped: number; errorSamples: string[] }>();
  private timers: NodeJS.Timeout[] = [];
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly kinds: TrafficKind[]) {
    for (const kind of kinds) {
      this.windows.set(kind.name, { latencies: [], errors: 0, skipped: 0 });
      this.totals.set(kind.name, { latencies: [], errors: 0, skipped: 0, errorSamples: [] });
    }
  }

  start(): void {
    for (const kind of this.kinds) {
      let i = 0;
      let running = 0;
      const timer = setInterval(() => {
        const window = this.windows.get(kind.name)!;
        const total = this.totals.get(kind.name)!;
        if (running >= MAX_IN_FLIGHT) {
          window.skipped += 1;
          total.skipped += 1;
          return;
        }
        running += 1;
        const started = performance.now();
        const request = kind
          .send(i++)
          .then(
            () => {
              const ms = performance.now() - started;
              this.windows.get(kind.name)!.latencies.push(ms);
              total.latencies.push(ms);
            },
            (error: unknown) => {
              this.windows.get(kind.name)!.errors += 1;
              total.errors += 1;
              if (total.errorSamples.length < 5) total.errorSamples.push(error instanceof Error ? error.message : String(error));
            },
          )
          .finally(() => {
            running -= 1;
            this.inFlight.delete(request);
          });
        this.inFlight.add(request);
      }, 1000 / kind.perSecond);
      this.timers.push(timer);
    }
  }

  /** Stops starting requests and waits for those in flight. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.inFlight]);
  }

  /** Latencies and errors of each kind since the last call. */
  takeWindow(): Record<string, Window> {
    const out = Object.fromEntries(this.windows);
    for (const kind of this.kinds) this.windows.set(kind.name, { latencies: [], errors: 0, skipped: 0 });
    return out;
  }

  totalsByKind(): Record<string, KindTotals> {
    return Object.fromEntries(
      [...this.totals].map(([name, t]) => [name, { requests: t.latencies.length + t.errors, errors: t.errors, skipped: t.skipped, latency: summarize(t.latencies), errorSamples: t.errorSamples }]),
    );
  }
}
