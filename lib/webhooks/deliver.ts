import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { Agent, request } from "undici";
import type { Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents, webhookSecrets } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { errorMessage } from "@/lib/log";
import { renderPayload } from "./render";
import { signedHeaders } from "./signature";
import { addressAllowed, endpointUrlProblem, guardedLookup, literalAddress, type UrlPolicy } from "./url-guard";
import { rowsOf } from "@/db/rows";

/**
 * One delivery attempt of one event to one endpoint, safe against crashes and twin jobs: the
 * attempt is claimed first (a conditional UPDATE on the attempt count, which also pushes the
 * delivery's next time a lease ahead), the request is sent, then its outcome is recorded in one
 * transaction. A process that dies in between leaves the delivery due again once the lease ends,
 * and the next attempt carries the same webhook-id.
 */

/** Waits after each failed attempt (Standard Webhooks / Svix), about 58 hours in all (10 % jitter at most), then failed. */
export const RETRY_SCHEDULE_MS = [5e3, 5 * 60e3, 30 * 60e3, 2 * 3600e3, 5 * 3600e3, ...Array<number>(5).fill(10 * 3600e3)];
/** No schedule, jitter included, runs past three days from its first attempt. */
const SCHEDULE_CAP_MS = 72 * 3600e3;

export type WebhookDeps = {
  db: Db;
  encryptionKey: string;
  url: UrlPolicy;
  /** The public origin (APP_URL): a checkout session's `url` in its event. */
  appUrl?: string;
  /** Tests shorten these. */
  scheduleMs?: number[];
  timeoutMs?: number;
  /** How long a claimed attempt holds its delivery before it is due again (a job lost with its process). */
  leaseMs?: number;
  /** Jitter factor drawn per retry: 0.9–1.1 by default. */
  random?: () => number;
};

const BODY_EXCERPT = 1024;

export type AttemptOutcome = "delivered" | "retrying" | "failed" | "skipped";

export async function attemptDelivery(deps: WebhookDeps, deliveryId: string, attempt: number): Promise<AttemptOutcome> {
  const { db } = deps;
  const leaseMs = deps.leaseMs ?? 60_000;
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: sql`now()`, nextAttemptAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`, inFlightUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, attempt - 1),
        sql`exists (select 1 from webhook_endpoints ep where ep.id = ${webhookDeliveries.endpointId} and ep.disabled_at is null)`,
      ),
    )
    .returning();
  if (!claimed) return "skipped";
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, claimed.endpointId));
  // Deleted since the claim (its deliveries went with it).
  if (!endpoint) return "skipped";
  const body = await bodyOf(db, claimed.eventId, deps.appUrl);
  const secrets = await activeSecrets(deps, claimed.endpointId);
  // Deleted meanwhile, secrets and all: nothing to sign with, and nobody to send to.
  if (secrets.length === 0) return "skipped";
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = signedHeaders(secrets, claimed.eventId, timestamp, body);
  const started = new Date();
  const answer = await post(deps, endpoint.url, endpoint.mode, headers, body);
  const durationMs = Math.round(performance.now() - answer.startedAt);
  const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
  const done = claimed.attempts - claimed.scheduleFrom;
  const schedule = deps.scheduleMs ?? RETRY_SCHEDULE_MS;
  const exhausted = !ok && done > schedule.length;
  return db.transaction(async (tx) => {
    // The endpoint may have been deleted while the request was out, its deliveries with it: then
    // there is nothing left to record. Locked endpoint first, then delivery, the order a deletion
    // (and its cascade) takes them in: otherwise each waits for the other, a deadlock. From here a
    // deletion waits for this record.
    const [endpointStill] = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, claimed.endpointId)).for("no key update");
    if (!endpointStill) return "skipped";
    const [still] = await tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).for("update");
    if (!still) return "skipped";
    await tx.insert(webhookAttempts).values({
      deliveryId,
      endpointId: claimed.endpointId,
      attempt: claimed.attempts,
      startedAt: started,
      durationMs,
      responseStatus: answer.status,
      responseBody: answer.body,
      error: answer.error,
    });
    if (ok) {
      await tx.update(webhookDeliveries).set({ status: "delivered", deliveredAt: sql`now()`, nextAttemptAt: null, inFlightUntil: null }).where(eq(webhookDeliveries.id, deliveryId));
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0, lastSuccessAt: sql`now()` }).where(eq(webhookEndpoints.id, claimed.endpointId));
      return "delivered";
    }
    const [failing] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, claimed.endpointId))
      .returning({ consecutiveFailures: webhookEndpoints.consecutiveFailures });
    if (exhausted) {
      await tx.update(webhookDeliveries).set({ status: "failed", nextAttemptAt: null, inFlightUntil: null }).where(eq(webhookDeliveries.id, deliveryId));
      // Every attempt of a whole schedule failed, and nothing reached the endpoint meanwhile: it is gone.
      if (failing && failing.consecutiveFailures >= done) {
        await tx
          .update(webhookEndpoints)
          .set({ disabledAt: sql`now()`, disabledReason: "failing" })
          .where(and(eq(webhookEndpoints.id, claimed.endpointId), isNull(webhookEndpoints.disabledAt)));
      }
      return "failed";
    }
    const jitter = 0.9 + 0.2 * (deps.random ?? Math.random)();
    const wait = Math.round(schedule[done - 1]! * jitter);
    // The 3-day cap counts from this schedule's first try (a resend or a re-enabling starts one), not from the event.
    const [first] = await tx
      .select({ at: webhookAttempts.startedAt })
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.deliveryId, deliveryId), eq(webhookAttempts.attempt, claimed.scheduleFrom + 1)));
    const firstAt = (first?.at ?? claimed.createdAt).getTime();
    const next = new Date(Math.min(Date.now() + wait, Math.max(Date.now(), firstAt + SCHEDULE_CAP_MS)));
    await tx.update(webhookDeliveries).set({ nextAttemptAt: next, inFlightUntil: null }).where(eq(webhookDeliveries.id, deliveryId));
    return "retrying";
  });
}

/** The event's body, rendered once and kept: every endpoint and every retry get the same bytes. */
async function bodyOf(db: Db, eventId: string, appUrl?: string): Promise<string> {
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  if (event!.body !== null) return event!.body;
  const rendered = JSON.stringify(renderPayload(event!, appUrl));
  await db.update(webhookEvents).set({ body: rendered }).where(and(eq(webhookEvents.id, eventId), isNull(webhookEvents.body)));
  const [kept] = await db.select({ body: webhookEvents.body }).from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return kept!.body!;
}

export async function activeSecrets(deps: Pick<WebhookDeps, "db" | "encryptionKey">, endpointId: string): Promise<string[]> {
  const rows = await deps.db
    .select({ secret: webhookSecrets.secretEncrypted })
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.endpointId, endpointId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, sql`now()`))))
    .orderBy(sql`${webhookSecrets.createdAt} desc`);
  return rows.map((r) => decryptSecret(r.secret, deps.encryptionKey));
}

type Answer = { status: number | null; body: string | null; error: string | null; startedAt: number };

const agents = new Map<boolean, Agent>();
function agentFor(policy: UrlPolicy): Agent {
  let agent = agents.get(policy.allowLoopback);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(policy) as never }, keepAliveTimeout: 10_000, connections: 50 });
    agents.set(policy.allowLoopback, agent);
  }
  return agent;
}

/** POSTs once: no redirect followed, a short timeout, the first kilobyte of the answer kept. */
async function post(deps: WebhookDeps, url: string, mode: "sandbox" | "live", headers: Record<string, string>, body: string): Promise<Answer> {
  const startedAt = performance.now();
  const policy = { allowLoopback: mode === "sandbox" && deps.url.allowLoopback };
  const problem = endpointUrlProblem(url, mode, policy);
  const literal = problem ? null : literalAddress(url);
  if (problem || (literal && !addressAllowed(literal, policy))) return { status: null, body: null, error: `refused: ${problem ?? "url_private"}`, startedAt };
  const timeoutMs = deps.timeoutMs ?? 15_000;
  try {
    const res = await request(url, {
      method: "POST",
      headers: { ...headers, "user-agent": "Caisse-Webhooks/1" },
      body,
      dispatcher: agentFor(policy),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: res.statusCode, body: await excerpt(res.body), error: null, startedAt };
  } catch (error) {
    return { status: null, body: null, error: storable(errorMessage(error).slice(0, 500)), startedAt };
  }
}

async function excerpt(stream: AsyncIterable<Buffer> & { destroy: () => void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= BODY_EXCERPT) break;
    }
  } catch {
    // A body cut short still tells what it began with.
  } finally {
    stream.destroy();
  }
  return storable(Buffer.concat(chunks).subarray(0, BODY_EXCERPT).toString("utf8"));
}

/**
 * PostgreSQL's text holds no NUL: an answer with one (a UTF-16 "OK") would make recording the
 * attempt fail, the delivery stay pending and its POST repeat after every lease, forever.
 */
const storable = (text: string) => text.replace(/\u0000/g, "\uFFFD");

/** Deliveries of one endpoint out at once, at most: one that hangs until the timeout holds this many jobs, not all of them. */
export const IN_FLIGHT_PER_ENDPOINT = 10;
/** And of one store, whatever its endpoints (it may have 20): the other stores' events always find free jobs. */
export const IN_FLIGHT_PER_STORE = 20;

/**
 * Claims due deliveries of enabled endpoints for the pump, oldest first, each endpoint and each
 * store up to its share (IN_FLIGHT_PER_ENDPOINT, IN_FLIGHT_PER_STORE, minus what it has out): each
 * is pushed a lease ahead and handed over with the attempt it is at. Twin pumps skip each other's
 * rows (the UPDATE checks again that a row is still due once it has it).
 */
export async function claimDue(db: Db, leaseMs: number, limit = 100): Promise<{ deliveryId: string; attempt: number }[]> {
  const lease = sql`now() + ${`${leaseMs} milliseconds`}::interval`;
  const result = await db.execute(sql`
    with out_now as (
      select endpoint_id, merchant_id, count(*)::int as n from webhook_deliveries
      where status = 'pending' and in_flight_until > now()
      group by endpoint_id, merchant_id
    ), store_out as (
      select merchant_id, sum(n)::int as n from out_now group by merchant_id
    ), open_endpoints as (
      select ep.id, ep.merchant_id, coalesce(o.n, 0) as n, coalesce(so.n, 0) as store_n from webhook_endpoints ep
      left join out_now o on o.endpoint_id = ep.id
      left join store_out so on so.merchant_id = ep.merchant_id
      where ep.disabled_at is null and coalesce(o.n, 0) < ${IN_FLIGHT_PER_ENDPOINT} and coalesce(so.n, 0) < ${IN_FLIGHT_PER_STORE}
    ), candidates as (
      select d.id, d.next_attempt_at, e.merchant_id, e.store_n,
             row_number() over (partition by e.merchant_id order by d.next_attempt_at) as store_rank
      from open_endpoints e
      cross join lateral (
        select d2.id, d2.next_attempt_at from webhook_deliveries d2
        where d2.endpoint_id = e.id and d2.status = 'pending' and d2.next_attempt_at <= now()
        order by d2.next_attempt_at limit ${IN_FLIGHT_PER_ENDPOINT} - e.n
      ) d
    ), chosen as (
      select id from candidates where store_rank <= ${IN_FLIGHT_PER_STORE} - store_n
      order by next_attempt_at limit ${limit}
    )
    update webhook_deliveries d set next_attempt_at = ${lease}, in_flight_until = ${lease}
    where d.id in (select id from chosen) and d.status = 'pending' and d.next_attempt_at <= now()
    returning d.id, d.attempts`);
  const rows = rowsOf<{ id: string; attempts: number }>(result);
  return rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts + 1 }));
}
