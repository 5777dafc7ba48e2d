import { eq } from "drizzle-orm";
import { sandboxDeliveries } from "@/db/schema";
import type { Faults } from "./faults";
import { REFUSED_TARGET, followable, targetsOf } from "./targets";
import type { SandboxDeps } from "./types";
import { errorMessage, logger } from "@/lib/log";

export type Delivery = { url: string; method: "GET" | "POST"; headers?: Record<string, string>; body?: string };

export type RetryPolicy = {
  /** Waits before each retry after a non-2xx or network error (KKiaPay: 500, 1000, … ms). */
  retryDelaysMs: number[];
};

const NO_RETRY: RetryPolicy = { retryDelaysMs: [] };
const SEND_TIMEOUT_MS = 10_000;

/**
 * Sends a simulator's notifications the way the provider would, bent by the faults in force,
 * and records each attempt in sandbox_deliveries. Resolves when every attempt is done, so tests
 * and hosted pages may await it; callers that must answer first just don't.
 */
export async function sendNotifications(
  deps: SandboxDeps,
  transactionId: string,
  deliveries: Delivery[],
  faults: Faults,
  policy: RetryPolicy = NO_RETRY,
): Promise<void> {
  let queue = faults.outOfOrder ? [...deliveries].reverse() : deliveries;
  if (faults.duplicateNotification) queue = queue.flatMap((d) => [d, d]);

  if (faults.dropNotification) {
    for (const d of queue) {
      await deps.db.insert(sandboxDeliveries).values({ transactionId, url: d.url, method: d.method, headers: d.headers ?? {}, body: d.body ?? "", error: "dropped (fault)" });
    }
    return;
  }
  if (faults.notificationDelaySeconds) await sleep(faults.notificationDelaySeconds * 1000);
  for (const d of queue) await sendWithRetries(deps, transactionId, d, policy);
}

async function sendWithRetries(deps: SandboxDeps, transactionId: string, d: Delivery, policy: RetryPolicy) {
  // A target the sandbox may not reach is recorded and never contacted: no status, no timing,
  // nothing a caller of the control API could learn about hosts it cannot see itself.
  const target = followable(d.url, targetsOf(deps));
  if (!target) {
    await deps.db.insert(sandboxDeliveries).values({ transactionId, url: d.url, method: d.method, headers: d.headers ?? {}, body: d.body ?? "", error: REFUSED_TARGET });
    return;
  }
  for (let attempt = 1; attempt <= policy.retryDelaysMs.length + 1; attempt++) {
    const [row] = await deps.db
      .insert(sandboxDeliveries)
      .values({ transactionId, url: d.url, method: d.method, headers: d.headers ?? {}, body: d.body ?? "", attempt })
      .returning({ id: sandboxDeliveries.id });
    const { status, error } = await sendOnce(deps, target, d);
    await deps.db.update(sandboxDeliveries).set({ responseStatus: status, error, sentAt: new Date() }).where(eq(sandboxDeliveries.id, row!.id));
    if (status !== null && status >= 200 && status < 300) return;
    const wait = policy.retryDelaysMs[attempt - 1];
    if (wait === undefined) return;
    await sleep(wait);
  }
}

/** One attempt at `target` (already judged followable): the answer's status, or why there was none. */
export async function sendOnce(deps: Pick<SandboxDeps, "fetch">, target: string, d: Delivery): Promise<{ status: number | null; error: string | null }> {
  try {
    const res = await (deps.fetch ?? fetch)(target, {
      method: d.method,
      headers: { "user-agent": "Caisse-Sandbox/1.0", ...d.headers },
      body: d.method === "GET" ? undefined : d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { status: res.status, error: null };
  } catch (e) {
    return { status: null, error: e instanceof Error ? e.message : String(e) };
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const background = new Set<Promise<unknown>>();

/** Background work that must outlive the request (notifications after a redirect). */
export function inBackground(work: Promise<unknown>, label: string): void {
  const tracked = work.catch((error: unknown) => logger("sandbox").error({ err: errorMessage(error) }, `${label} failed`));
  background.add(tracked);
  void tracked.finally(() => background.delete(tracked));
}

/**
 * Resolves once every notification sent in the background so far is done, retries included:
 * a test asks it before checking what was (or was not) sent, a shutdown before closing the database.
 */
export async function backgroundSettled(): Promise<void> {
  while (background.size > 0) await Promise.allSettled([...background]);
}
