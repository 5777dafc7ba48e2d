import { createRequire } from "node:module";
import { summarize, type Summary } from "./stats";

/** One notification as the provider posts it, for payment `key` of a batch; `path` when not the run's URL's. */
export type Notification = { key: number; headers: Record<string, string>; body: string; path?: string };

type AutocannonRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type AutocannonContext = Record<string, unknown>;
type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: {
    setupRequest: (req: AutocannonRequest, context: AutocannonContext) => AutocannonRequest;
    onResponse: (status: number, body: string, context: AutocannonContext) => void;
  }[];
};
type AutocannonResult = { errors: number; timeouts: number; non2xx: number; duration: number; requests: { total: number; average: number }; statusCodeStats: Record<string, { count: number }> };
type AutocannonInstance = Promise<AutocannonResult> & {
  stop: () => void;
  on: (event: "response", fn: (client: unknown, status: number, bytes: number, responseTime: number) => void) => void;
};
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as (options: AutocannonOptions) => AutocannonInstance;

/**
 * Feeds a batch's notifications to a load run: each request takes the next payment nobody has
 * notified yet, except every `duplicateEvery`-th, which re-sends one of the last 200 sent (as a
 * provider retrying does, sometimes while the first delivery is still being processed).
 * Shared by every connection, and by the warm-up and the measured run that follow each other.
 * `duplicatesOf: "acknowledged"` re-sends only notifications the app answered with a 2xx (see
 * acknowledge()): a provider that never retries a failed delivery, and yet sends twice.
 */
export class NotificationFeed {
  private fresh = 0;
  private issued = 0;
  private readonly sent: number[] = [];
  private readonly acknowledged: number[] = [];
  duplicates = 0;
  exhausted = false;

  constructor(
    readonly notifications: Notification[],
    private readonly duplicateEvery = 10,
    private readonly duplicatesOf: "sent" | "acknowledged" = "sent",
  ) {}

  next(): Notification {
    this.issued++;
    const pool = this.duplicatesOf === "sent" ? this.sent : this.acknowledged;
    const wantDuplicate = this.issued % this.duplicateEvery === 0 && pool.length > 0;
    if (wantDuplicate || this.fresh >= this.notifications.length) {
      if (this.fresh >= this.notifications.length) this.exhausted = true;
      if (pool.length === 0) throw new Error("notification feed exhausted with nothing to re-send");
      this.duplicates++;
      const window = Math.min(200, pool.length);
      // Deterministic spread over the window (a Knuth multiplicative step).
      return this.notifications[pool[pool.length - 1 - ((this.issued * 2654435761) % window)]!]!;
    }
    const index = this.fresh++;
    this.sent.push(index);
    return this.notifications[index]!;
  }

  /** The app answered `key`'s notification with a 2xx. */
  acknowledge(key: number): void {
    this.acknowledged.push(key);
  }

  /** Distinct payments a notification went out for. */
  get distinctSent(): number {
    return this.fresh;
  }
}

export type LoadResult = {
  durationS: number;
  requests: number;
  throughput: number;
  latency: Summary;
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Payment keys whose notification got a 2xx. */
  acknowledged: Set<number>;
};

/** `connections` keep-alive clients posting to `url` for `durationS` seconds. */
export async function postNotifications(options: { url: string; connections: number; durationS: number; feed: NotificationFeed }): Promise<LoadResult> {
  const path = new URL(options.url).pathname;
  const acknowledged = new Set<number>();
  const samples: number[] = [];
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    requests: [
      {
        setupRequest: (req, context) => {
          const n = options.feed.next();
          context.key = n.key;
          return { ...req, method: "POST", path, headers: n.headers, body: n.body };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) acknowledged.add(context.key as number);
        },
      },
    ],
  });
  instance.on("response", (_client, status, _bytes, responseTime) => {
    samples.push(responseTime);
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
  });
  const result = await instance;
  const durationS = result.duration;
  return {
    durationS,
    requests: samples.length,
    throughput: samples.length / durationS,
    latency: summarize(samples),
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    acknowledged,
  };
}
