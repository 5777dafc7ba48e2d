import { and, eq, sql } from "drizzle-orm";
import { merchants, notifications, payments, providerAccounts } from "@/db/schema";
import { newId } from "@/lib/ids";
import { contextFor, openAccount, type PaymentDeps } from "./accounts";
import { now, paymentHandle, type Loaded } from "./handle";
import { redact, redactBody } from "./redact";
import { refreshPayment } from "./refresh";
import { getProvider } from "./registry";
import { recordEvent } from "./transitions";
import type { InboundRequest, ProviderId } from "./types";

export type NotificationAnswer = { status: number; body: string; contentType: string };

const answer = (status: number, body = "OK", contentType = "text/plain"): NotificationAnswer => ({ status, body, contentType });

export async function handleNotification(deps: PaymentDeps, providerId: ProviderId, merchantSlug: string, request: InboundRequest): Promise<NotificationAnswer> {
  const provider = getProvider(providerId);
  const parsed = safeParse(() => provider.parseNotification(request));
  // The merchant, its account for this provider and the payment named by our reference in one
  // round trip; the account is only opened (decrypted, checked) where it is needed.
  const [merchant] = await deps.db
    .select({ id: merchants.id, account: providerAccounts, payment: payments })
    .from(merchants)
    .leftJoin(providerAccounts, and(eq(providerAccounts.merchantId, merchants.id), eq(providerAccounts.provider, providerId)))
    .leftJoin(
      payments,
      parsed?.lookup.reference
        ? and(eq(payments.merchantId, merchants.id), eq(payments.provider, providerId), eq(payments.reference, parsed.lookup.reference))
        : sql`false`,
    )
    .where(eq(merchants.slug, merchantSlug));
  if (!merchant) return answer(404, "unknown merchant");

  if (parsed === null) return answer(200); // a ping (CinetPay checks the URL answers)
  if (parsed === undefined) {
    await logDelivery(deps, providerId, merchant.id, null, request, "rejected", "unparseable");
    return answer(400, "unparseable notification");
  }

  const payment = merchant.payment ?? (await findPayment(deps, providerId, merchant.id, parsed.lookup));
  if (!payment) {
    await logDelivery(deps, providerId, merchant.id, null, request, "rejected", "unknown payment");
    return answer(404, "unknown payment");
  }
  if (!merchant.account) return answer(404, "unknown account");
  const account = openAccount(deps, merchant.account);

  const verdict = provider.verifyNotification(request, paymentHandle(payment, deps.encryptionKey), contextFor(deps, account, "status", payment.mode));
  if (verdict === "forged") {
    await logDelivery(deps, providerId, merchant.id, payment.id, request, "rejected", "authentication failed");
    await recordEvent(deps.db, { paymentId: payment.id, merchantId: merchant.id, type: "notification", actor: providerId, data: { verdict, body: redactBody(request.body), query: redact(request.query) } });
    const ack = provider.acknowledge?.("forged");
    return answer(ack?.status ?? 401, ack?.body ?? "unauthorized", ack?.contentType);
  }

  const deliveryId = await recordDelivery(deps, {
    id: newId("ntf"),
    provider: providerId,
    merchantId: merchant.id,
    paymentId: payment.id,
    dedupeKey: parsed.dedupeKey,
    verdict: verdict === "authentic" ? "authenticated" : "unverifiable",
    method: request.method,
    headers: redact(request.headers),
    body: request.body,
  }, { verdict, claimedStatus: parsed.claimedStatus, claimedAmount: parsed.claimedAmountMinor, body: redactBody(request.body), query: redact(request.query) });
  if (!deliveryId) {
    const ack = provider.acknowledge?.("duplicate");
    return answer(ack?.status ?? 200, ack?.body ?? "OK", ack?.contentType);
  }
  const delivery = { id: deliveryId };
  await processDelivery(deps, delivery.id, payment.id, verdict === "authentic" ? parsed.lookup.providerReference : undefined, { payment, account });
  const ack = provider.acknowledge?.("processed");
  return answer(ack?.status ?? 200, ack?.body ?? "OK", ack?.contentType);
}

/**
 * Records a delivery once per (provider, dedupe key) and, only when it is new, its notification
 * event, in one statement. The delivery's id when it was new, null for a duplicate.
 */
async function recordDelivery(deps: PaymentDeps, delivery: typeof notifications.$inferInsert & { id: string; paymentId: string; merchantId: string }, event: Record<string, unknown>): Promise<string | null> {
  const insert = deps.db.insert(notifications).values(delivery).onConflictDoNothing().returning({ id: notifications.id });
  const result = await deps.db.execute(sql`
    with delivery as (${insert.getSQL()})
    insert into payment_events (payment_id, merchant_id, type, actor, data)
    select ${delivery.paymentId}, ${delivery.merchantId}, 'notification', ${delivery.provider}, ${JSON.stringify(event)}::jsonb from delivery
    returning id`);
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows.length ? delivery.id : null;
}

/** Runs the status check a delivery triggered; a failure leaves it for reconciliation to retry. */
export async function processDelivery(deps: PaymentDeps, notificationId: string, paymentId: string, providerReference?: string, loaded?: Loaded): Promise<void> {
  try {
    await refreshPayment(deps, paymentId, "notification", { candidateProviderReference: providerReference, loaded });
    await deps.db.update(notifications).set({ verdict: "processed", processedAt: now(deps) }).where(eq(notifications.id, notificationId));
  } catch (error) {
    const [n] = await deps.db.select({ attempts: notifications.attempts }).from(notifications).where(eq(notifications.id, notificationId));
    await deps.db
      .update(notifications)
      .set({ attempts: (n?.attempts ?? 0) + 1, lastError: error instanceof Error ? error.message : String(error) })
      .where(eq(notifications.id, notificationId));
  }
}

function safeParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** A notified payment by the provider's own ids (our reference was already tried with the merchant). */
async function findPayment(deps: PaymentDeps, provider: ProviderId, merchantId: string, lookup: { providerToken?: string; providerReference?: string }) {
  const scope = and(eq(payments.provider, provider), eq(payments.merchantId, merchantId));
  const keys = [
    lookup.providerToken ? eq(payments.providerToken, lookup.providerToken) : undefined,
    lookup.providerReference ? eq(payments.providerReference, lookup.providerReference) : undefined,
  ];
  for (const key of keys) {
    if (!key) continue;
    const [row] = await deps.db.select().from(payments).where(and(scope, key)).limit(1);
    if (row) return row;
  }
  return null;
}

async function logDelivery(deps: PaymentDeps, provider: ProviderId, merchantId: string, paymentId: string | null, request: InboundRequest, verdict: "rejected", reason: string) {
  // Rejected deliveries get their own key: a forgery must never shadow the genuine notification.
  await deps.db.insert(notifications).values({
    id: newId("ntf"),
    provider,
    merchantId,
    paymentId,
    dedupeKey: `rejected:${newId("ntf")}`,
    verdict,
    method: request.method,
    headers: redact(request.headers),
    body: request.body,
    lastError: reason,
    processedAt: now(deps),
  });
}

