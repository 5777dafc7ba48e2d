import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents, webhookSecrets } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { newId } from "@/lib/ids";
import type { Mode } from "@/lib/payments/types";
import { isPlainText } from "@/lib/validation";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "./events";
import { newWebhookSecret } from "./signature";
import { endpointUrlProblem, type UrlPolicy } from "./url-guard";

/**
 * A store's webhook endpoints, for the API and the dashboard alike: every function takes the
 * store's id and touches only that store's rows. Who may call them is the caller's business
 * (an API key of the store, or an owner: lib/auth/permissions.ts "developers").
 */

/** A rotated secret keeps signing beside the new one this long, so the merchant's server can switch. */
export const ROTATION_OVERLAP_MS = 24 * 3600e3;
export const MAX_ENDPOINTS = 20;

export const endpointInput = z.object({
  url: z.string().trim().min(1, "url_required").max(2048, "url_invalid"),
  mode: z.enum(["sandbox", "live"], { error: "mode_invalid" }),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: "events_invalid" }), { error: "events_invalid" }).min(1, "events_required").max(WEBHOOK_EVENT_TYPES.length, "events_invalid"),
  description: z.string().trim().max(200, "too_long").refine((v) => isPlainText(v), "invalid").default(""),
});
export type EndpointInput = z.input<typeof endpointInput>;

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type Created = { ok: true; endpoint: EndpointRow; secret: string } | { ok: false; fieldErrors: Record<string, string> };

export async function createEndpoint(db: Db, encryptionKey: string, policy: UrlPolicy, merchantId: string, userId: string | null, input: unknown): Promise<Created> {
  const parsed = endpointInput.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.code === "invalid_type" && issue.path[0] === "events" ? "events_invalid" : issue.message;
    return { ok: false, fieldErrors };
  }
  const { url, mode, events, description } = parsed.data;
  const problem = endpointUrlProblem(url, mode, { allowLoopback: mode === "sandbox" && policy.allowLoopback });
  if (problem) return { ok: false, fieldErrors: { url: problem } };
  if ((await db.$count(webhookEndpoints, eq(webhookEndpoints.merchantId, merchantId))) >= MAX_ENDPOINTS) return { ok: false, fieldErrors: { form: "too_many" } };
  const secret = newWebhookSecret();
  const id = newId("we");
  const endpoint = await db.transaction(async (tx) => {
    const [row] = await tx.insert(webhookEndpoints).values({ id, merchantId, mode, url, events: [...new Set(events)], description, createdBy: userId }).returning();
    await tx.insert(webhookSecrets).values({ endpointId: id, secretEncrypted: encryptSecret(secret, encryptionKey) });
    return row!;
  });
  return { ok: true, endpoint, secret };
}

export async function listEndpoints(db: Db, merchantId: string, mode?: Mode): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), mode ? eq(webhookEndpoints.mode, mode) : undefined))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(MAX_ENDPOINTS);
}

export async function getEndpoint(db: Db, merchantId: string, endpointId: string, mode?: Mode): Promise<EndpointRow | null> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId), mode ? eq(webhookEndpoints.mode, mode) : undefined));
  return row ?? null;
}

/** A new current secret; the ones signing until now keep signing for the overlap (or less, if they were already ending). */
export async function rotateSecret(db: Db, encryptionKey: string, merchantId: string, endpointId: string, overlapMs = ROTATION_OVERLAP_MS): Promise<string | null> {
  if (!(await getEndpoint(db, merchantId, endpointId))) return null;
  const secret = newWebhookSecret();
  const until = sql`now() + ${`${overlapMs} milliseconds`}::interval`;
  await db.transaction(async (tx) => {
    // Two rotations at once take turns: otherwise neither sees the other's new secret, and both stay unending.
    await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
    await tx
      .update(webhookSecrets)
      .set({ expiresAt: sql`least(coalesce(${webhookSecrets.expiresAt}, ${until}), ${until})` })
      .where(and(eq(webhookSecrets.endpointId, endpointId), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, sql`now()`))));
    await tx.insert(webhookSecrets).values({ endpointId, secretEncrypted: encryptSecret(secret, encryptionKey) });
  });
  return secret;
}

/** Enabling again resets the failure count and sends what waited, at once. */
export async function setEndpointEnabled(db: Db, merchantId: string, endpointId: string, enabled: boolean): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(webhookEndpoints)
      .set(enabled ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : { disabledAt: sql`now()`, disabledReason: "manual" })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)))
      .returning({ id: webhookEndpoints.id });
    if (!moved.length) return false;
    // Re-enabled: what waited starts a schedule of its own, rather than one whose time ran out.
    if (enabled) {
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: sql`now()`, scheduleFrom: sql`${webhookDeliveries.attempts}`, inFlightUntil: null })
        .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")));
    }
    return true;
  });
}

/**
 * Gone for good, with its secrets, deliveries and their log (the events stay: other endpoints may
 * have them). A delivery whose request is out finishes and records nothing (lib/webhooks/deliver.ts).
 */
export async function deleteEndpoint(db: Db, merchantId: string, endpointId: string, mode?: Mode): Promise<boolean> {
  const gone = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId), mode ? eq(webhookEndpoints.mode, mode) : undefined))
    .returning({ id: webhookEndpoints.id });
  return gone.length > 0;
}

/** Sends a delivery again with a fresh schedule (same event, same webhook-id); one still pending is on its way already. */
export async function resendDelivery(db: Db, merchantId: string, deliveryId: string): Promise<boolean> {
  const moved = await db
    .update(webhookDeliveries)
    .set({ status: "pending", scheduleFrom: sql`${webhookDeliveries.attempts}`, nextAttemptAt: sql`now()`, deliveredAt: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.merchantId, merchantId), ne(webhookDeliveries.status, "pending")))
    .returning({ id: webhookDeliveries.id });
  return moved.length > 0;
}

/** A `webhook.test` event for this one endpoint only (whatever it subscribed to). */
export async function sendTestEvent(db: Db, merchantId: string, endpointId: string): Promise<string | null> {
  const endpoint = await getEndpoint(db, merchantId, endpointId);
  if (!endpoint) return null;
  return db.transaction(async (tx) => {
    const [event] = await tx
      .insert(webhookEvents)
      .values({ merchantId, mode: endpoint.mode, type: TEST_EVENT_TYPE, objectType: "test", snapshot: { object: "test", endpoint: endpoint.id, livemode: endpoint.mode === "live" } })
      .returning({ id: webhookEvents.id });
    await tx.insert(webhookDeliveries).values({ eventId: event!.id, endpointId, merchantId });
    return event!.id;
  });
}

export type LoggedDelivery = {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
  body: string | null;
  tries: { attempt: number; startedAt: Date; durationMs: number; responseStatus: number | null; responseBody: string | null; error: string | null }[];
};

/** The endpoint's latest deliveries with their attempts, newest first. */
export async function deliveryLog(db: Db, merchantId: string, endpointId: string, limit = 25): Promise<LoggedDelivery[]> {
  const rows = await db
    .select({ delivery: webhookDeliveries, type: webhookEvents.type, body: webhookEvents.body })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.merchantId, merchantId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
  const ids = rows.map((r) => r.delivery.id);
  const tries = ids.length ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(desc(webhookAttempts.attempt)) : [];
  return rows.map(({ delivery, type, body }) => ({
    id: delivery.id,
    eventId: delivery.eventId,
    type,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt : null,
    body,
    tries: tries
      .filter((t) => t.deliveryId === delivery.id)
      .map((t) => ({ attempt: t.attempt, startedAt: t.startedAt, durationMs: t.durationMs, responseStatus: t.responseStatus, responseBody: t.responseBody, error: t.error })),
  }));
}

/** Endpoints disabled automatically (the overview's notice). */
export async function failingEndpoints(db: Db, merchantId: string) {
  return db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, disabledAt: webhookEndpoints.disabledAt })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.disabledReason, "failing")));
}
