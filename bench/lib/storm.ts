import { Agent, request } from "undici";
import type { NotificationFeed } from "./notify-load";

/**
 * A provider posting notifications at full rate to an app that may die at any moment: the
 * chaos bench's load (bench/chaos.ts). `connections` senders each post one notification at a
 * time and never resend one that failed (the worst provider). What became of each send is kept
 * per payment, for the verification afterwards:
 * - answered: an HTTP status came back (2xx or not): the app had it;
 * - refused: the connection was refused (the app was down): it never reached the app;
 * - cut: the connection broke after the request was sent (the app died under it): it may or
 *   may not have been recorded, the database tells.
 * A sender whose connection is refused waits as long as an answer takes before its next
 * notification, so the provider's rate stays what it was while the app was up instead of
 * burning through the whole batch in the seconds of a restart.
 */
export type SendOutcome = "2xx" | "non-2xx" | "refused" | "cut";

export type StormResult = {
  requests: number;
  byOutcome: Record<SendOutcome, number>;
  statusCounts: Record<string, number>;
  /** Payment keys by the best that happened to any of their sends (answered > cut > refused). */
  answered: Set<number>;
  acknowledged: Set<number>;
  cut: Set<number>;
  refused: Set<number>;
  durationS: number;
};

const RANK: Record<SendOutcome, number> = { "2xx": 3, "non-2xx": 2, cut: 1, refused: 0 };

/** `origin`: the app's; each notification names its own path (its provider's webhook). */
export async function storm(options: { origin: string; connections: number; feed: NotificationFeed }): Promise<StormResult> {
  const started = performance.now();
  // A provider's HTTP client: keep-alive, a 30 s answer timeout, no retries of its own.
  const dispatcher = new Agent({ connections: options.connections, headersTimeout: 30_000, bodyTimeout: 30_000, connect: { timeout: 5_000 } });
  const best = new Map<number, SendOutcome>();
  const byOutcome: Record<SendOutcome, number> = { "2xx": 0, "non-2xx": 0, refused: 0, cut: 0 };
  const statusCounts: Record<string, number> = {};
  let requests = 0;
  let answerMs = 100;

  const record = (key: number, outcome: SendOutcome) => {
    byOutcome[outcome] += 1;
    const before = best.get(key);
    if (before === undefined || RANK[outcome] > RANK[before]) best.set(key, outcome);
  };

  const sender = async () => {
    // Every payment's notification sent once (and duplicates between): the storm is over.
    while (options.feed.distinctSent < options.feed.notifications.length) {
      const n = options.feed.next();
      requests += 1;
      const sent = performance.now();
      try {
        const res = await request(`${options.origin}${n.path}`, { method: "POST", headers: n.headers, body: n.body, dispatcher });
        await res.body.dump();
        answerMs = answerMs * 0.9 + (performance.now() - sent) * 0.1;
        statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        record(n.key, ok ? "2xx" : "non-2xx");
        if (ok) options.feed.acknowledge(n.key);
      } catch (error) {
        const refused = (error as { code?: string }).code === "ECONNREFUSED";
        record(n.key, refused ? "refused" : "cut");
        if (refused) await new Promise((r) => setTimeout(r, answerMs));
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, sender));
  await dispatcher.close();

  const keysWith = (...outcomes: SendOutcome[]) => new Set([...best].filter(([, o]) => outcomes.includes(o)).map(([k]) => k));
  return {
    requests,
    byOutcome,
    statusCounts,
    answered: keysWith("2xx", "non-2xx"),
    acknowledged: keysWith("2xx"),
    cut: keysWith("cut"),
    refused: keysWith("refused"),
    durationS: (performance.now() - started) / 1000,
  };
}
