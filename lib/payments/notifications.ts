import { and, eq, sql } from "drizzle-orm";
import { merchants, notifications, payments, providerAccounts } from "@/db/schema";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { newId } from "@/lib/ids";
import { errorMessage, logger } from "@/lib/log";
import { hasControlChars } from "@/lib/validation";
import { contextFor, openAccount, type PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { now, paymentHandle, type Loaded, type PaymentRow } from "./handle";
import { redact, redactBody } from "./redact";
import { refreshPayment, type RefreshOutcome } from "./refresh";
import { getProvider } from "./registry";
import { recordEvent } from "./transitions";
import { claimUnsignedCheck } from "./unsigned-checks";
import { ProviderError, type InboundRequest, type ParsedNotification, type ProviderId, type StatusEvidence, type Verdict } from "./types";
import { rowsOf } from "@/db/rows";

// The notification pipeline (ARCHITECTURE.md §5): parse → find the payment → authenticate →
// record the delivery once → ask the provider's status API.

export type NotificationAnswer = { status: number; body: string; contentType: string };

const answer = (status: number, body = "OK", contentType = "text/plain"): NotificationAnswer => ({ status, body, contentType });

/** What a rejected delivery keeps of its body: redacted, and short (it was never ours to trust). */
const REJECTED_BODY_CHARS = 2_000;

type Triage =
  | { kind: "ping" }
  | { kind: "unknown_merchant" }
  | { kind: "unparseable"; merchantId: string }
  | { kind: "unknown_payment"; merchantId: string }
  | { kind: "unknown_account"; merchantId: string }
  /** The account has no usable credentials for the payment's mode (deleted, or unreadable): our side to fix. */
  | { kind: "account_unusable"; merchantId: string; paymentId: string; code: string }
  | { kind: "checked"; merchantId: string; parsed: ParsedNotification; loaded: Loaded; verdict: Verdict };

/** Parse, find and authenticate a delivery: the same steps for a live delivery and a replay. */
async function triage(deps: PaymentDeps, providerId: ProviderId, merchantSlug: string, request: InboundRequest): Promise<Triage> {
  const provider = getProvider(providerId);
  const parsed = namesPlainIds(safeParse(() => provider.parseNotification(request)));
  // The merchant, its account for this provider and the payment named by our reference in one
  // round trip; the account is only opened (decrypted, checked) where it is needed.
  const [merchant] = await deps.db
    .select({ id: merchants.id, timeZone: merchants.timeZone, account: providerAccounts, payment: payments })
    .from(merchants)
    .leftJoin(providerAccounts, and(eq(providerAccounts.merchantId, merchants.id), eq(providerAccounts.provider, providerId)))
    .leftJoin(
      payments,
      parsed?.lookup.reference
        ? and(eq(payments.merchantId, merchants.id), eq(payments.provider, providerId), eq(payments.reference, parsed.lookup.reference))
        : sql`false`,
    )
    .where(eq(merchants.slug, merchantSlug));
  if (!merchant) return { kind: "unknown_merchant" };
  if (parsed === null) return { kind: "ping" }; // CinetPay checks the URL answers
  if (parsed === undefined) return { kind: "unparseable", merchantId: merchant.id };
  const payment = merchant.payment ?? (await findPayment(deps, providerId, merchant.id, parsed.lookup));
  if (!payment) return { kind: "unknown_payment", merchantId: merchant.id };
  if (!merchant.account) return { kind: "unknown_account", merchantId: merchant.id };
  const account = openAccount(deps, merchant.account, merchant.timeZone);
  let ctx: ReturnType<typeof contextFor>;
  try {
    ctx = contextFor(deps, account, "status", payment.mode);
  } catch (error) {
    if (error instanceof ProviderError) return { kind: "account_unusable", merchantId: merchant.id, paymentId: payment.id, code: error.code };
    throw error;
  }
  const verdict = provider.verifyNotification(request, paymentHandle(payment, deps.encryptionKey), ctx);
  return { kind: "checked", merchantId: merchant.id, parsed, loaded: { payment, account }, verdict };
}

/** What a delivery lets the status check ask about; a provider id only counts when signed. */
function evidenceOf(parsed: ParsedNotification, verdict: Verdict): StatusEvidence {
  const providerReference = verdict === "authentic" ? parsed.evidence?.providerReference : undefined;
  return { ...(providerReference ? { providerReference, authenticated: true } : {}), ...(parsed.evidence?.fields ? { fields: parsed.evidence.fields } : {}) };
}

export async function handleNotification(deps: PaymentDeps, providerId: ProviderId, merchantSlug: string, request: InboundRequest): Promise<NotificationAnswer> {
  const provider = getProvider(providerId);
  const found = await triage(deps, providerId, merchantSlug, request);
  switch (found.kind) {
    case "unknown_merchant":
      return answer(404, "unknown merchant");
    case "ping":
      return answer(200);
    case "unparseable":
      await logRejected(deps, providerId, found.merchantId, null, request, "unparseable");
      return answer(400, "unparseable notification");
    case "unknown_payment":
      await logRejected(deps, providerId, found.merchantId, null, request, "unknown payment");
      return answer(404, "unknown payment");
    case "unknown_account":
      return answer(404, "unknown account");
    case "account_unusable":
      // Not the provider's fault: kept (redacted) for the merchant to see, and a 5xx so that a
      // provider that retries tries again once the credentials are back.
      await logRejected(deps, providerId, found.merchantId, found.paymentId, request, `no usable credentials (${found.code})`);
      logger("notifications").error({ provider: providerId, paymentId: found.paymentId, code: found.code }, "notification for a payment whose mode has no usable credentials");
      return answer(503, "temporarily unavailable");
  }
  const { parsed, loaded, verdict, merchantId } = found;
  const { payment } = loaded;
  if (verdict === "forged") {
    await logRejected(deps, providerId, merchantId, payment.id, request, "authentication failed");
    await recordEvent(deps.db, { paymentId: payment.id, merchantId, type: "notification", actor: providerId, data: { verdict, body: redactBody(request.body), query: redact(request.query) } });
    const ack = provider.acknowledge?.("forged");
    return answer(ack?.status ?? 401, ack?.body ?? "unauthorized", ack?.contentType);
  }

  const evidence = evidenceOf(parsed, verdict);
  const deliveryId = await recordDelivery(
    deps,
    {
      id: newId("ntf"),
      provider: providerId,
      merchantId,
      paymentId: payment.id,
      dedupeKey: parsed.dedupeKey,
      verdict: verdict === "authentic" ? "authenticated" : "unverifiable",
      providerReference: evidence.providerReference ?? null,
      requestEncrypted: encryptJson(request, deps.encryptionKey),
      method: request.method,
      headers: redact(request.headers),
      // What a person may read; the whole request is kept encrypted above, for replay.
      body: keptBody(request.body),
    },
    { verdict, claimedStatus: parsed.claimedStatus, claimedAmount: parsed.claimedAmountMinor, body: redactBody(request.body), query: redact(request.query) },
  );
  if (!deliveryId) {
    const ack = provider.acknowledge?.("duplicate");
    return answer(ack?.status ?? 200, ack?.body ?? "OK", ack?.contentType);
  }
  await processDelivery(deps, deliveryId, payment.id, { evidence, loaded, unsigned: verdict !== "authentic" });
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
  const rows = rowsOf(result);
  return rows.length ? delivery.id : null;
}

type StoredDelivery = typeof notifications.$inferSelect;

/**
 * What a stored delivery lets its status check ask about, for every later attempt (a retry after
 * the status API failed, reconciliation): the provider id it carried signed, and the unsigned ids
 * the provider's own check verifies, re-read from the encrypted copy of the request.
 */
function storedEvidence(deps: PaymentDeps, delivery: StoredDelivery): StatusEvidence {
  const request = storedRequest(deps, delivery);
  const parsed = request ? safeParse(() => getProvider(delivery.provider).parseNotification(request)) : undefined;
  return {
    ...(delivery.providerReference ? { providerReference: delivery.providerReference, authenticated: true } : {}),
    ...(parsed?.evidence?.fields ? { fields: parsed.evidence.fields } : {}),
  };
}

function storedRequest(deps: PaymentDeps, delivery: StoredDelivery): InboundRequest | null {
  if (!delivery.requestEncrypted) return null;
  try {
    return decryptJson<InboundRequest>(delivery.requestEncrypted, deps.encryptionKey);
  } catch {
    return null;
  }
}

/**
 * Runs the status check a delivery triggered. A failure leaves it for reconciliation, which
 * retries it with the same evidence at a backed-off time.
 */
/**
 * The error it recorded when the check failed (reconciliation pauses an account on a 429), else
 * nothing. `unsigned`: a delivery anyone could have sent, checked at most once per payment every
 * 10 s (unsigned-checks.ts); one that must wait is left to reconciliation with its evidence.
 */
export async function processDelivery(deps: PaymentDeps, notificationId: string, paymentId: string, options: { evidence?: StatusEvidence; loaded?: Loaded; unsigned?: boolean } = {}): Promise<unknown> {
  let evidence = options.evidence;
  let unsigned = options.unsigned ?? false;
  let receivedAt = now(deps);
  if (!evidence) {
    const [delivery] = await deps.db.select().from(notifications).where(eq(notifications.id, notificationId));
    if (!delivery) return undefined;
    evidence = storedEvidence(deps, delivery);
    unsigned = delivery.verdict === "unverifiable";
    receivedAt = delivery.receivedAt;
  }
  if (unsigned) {
    const gate = await claimUnsignedCheck(deps, paymentId, receivedAt);
    if (gate.kind === "covered") {
      await deps.db.update(notifications).set({ verdict: "processed", processedAt: now(deps), nextAttemptAt: null }).where(and(eq(notifications.id, notificationId), sql`${notifications.processedAt} is null`));
      return undefined;
    }
    if (gate.kind === "wait") {
      await deps.db.update(notifications).set({ nextAttemptAt: gate.until }).where(eq(notifications.id, notificationId));
      return undefined;
    }
  }
  try {
    await refreshPayment(deps, paymentId, "notification", { evidence, loaded: options.loaded });
    await deps.db.update(notifications).set({ verdict: "processed", processedAt: now(deps), nextAttemptAt: null }).where(and(eq(notifications.id, notificationId), sql`${notifications.processedAt} is null`));
  } catch (error) {
    const at = now(deps);
    // Codes only: a database error's message can carry query parameters (phone numbers, tokens).
    const code = error instanceof ProviderError || error instanceof PaymentError ? error.code : "internal_error";
    if (!(error instanceof ProviderError)) logger("notifications").error({ notificationId, err: errorMessage(error) }, "delivery check failed");
    await deps.db
      .update(notifications)
      .set({
        attempts: sql`${notifications.attempts} + 1`,
        lastError: code,
        // Backs off as nextCheckDelayMs does for status checks: 15 s × 2^attempts, at most 30 min.
        nextAttemptAt: sql`${at.toISOString()}::timestamptz + make_interval(secs => least(15 * power(2, ${notifications.attempts} + 1), 1800))`,
      })
      .where(eq(notifications.id, notificationId));
    return error;
  }
  return undefined;
}

export type ReplayOutcome = { verdict: Verdict | "unreadable"; outcome?: RefreshOutcome; error?: string };

/**
 * Replay: the stored delivery goes through parse → verify → status check again, as if it had
 * just arrived. A delivery that fails authentication now (a forgery) only gets its event; no
 * stored verdict is rewritten, and every replay is appended to the payment's events.
 */
export async function replayDelivery(deps: PaymentDeps, merchantId: string, notificationId: string, actor: string): Promise<ReplayOutcome | null> {
  const [row] = await deps.db
    .select({ delivery: notifications, slug: merchants.slug })
    .from(notifications)
    .innerJoin(merchants, eq(merchants.id, notifications.merchantId))
    .where(and(eq(notifications.id, notificationId), eq(notifications.merchantId, merchantId)));
  if (!row?.delivery.paymentId) return null;
  const { delivery } = row;
  const paymentId = delivery.paymentId!;
  const request = storedRequest(deps, delivery);
  let result: ReplayOutcome;
  if (delivery.verdict === "rejected") {
    // It failed authentication when it arrived, and only a redacted copy was kept: it stays a forgery.
    result = { verdict: "forged" };
  } else if (!request) {
    // Deliveries kept before encrypted copies existed cannot be verified again: they prove
    // nothing, so the replay is a plain status check.
    result = await check(deps, paymentId, actor, {}, "unreadable");
  } else {
    const found = await triage(deps, delivery.provider, row.slug, request);
    if (found.kind !== "checked" || found.loaded.payment.id !== paymentId) result = { verdict: "unreadable" };
    else if (found.verdict === "forged") result = { verdict: "forged" };
    else result = await check(deps, paymentId, actor, { evidence: evidenceOf(found.parsed, found.verdict), loaded: found.loaded }, found.verdict);
  }
  await recordEvent(deps.db, { paymentId, merchantId, type: "replay", actor, data: { notificationId, verdict: result.verdict, ...(result.outcome ? { status: result.outcome.status, changed: result.outcome.changed } : {}), ...(result.error ? { error: result.error } : {}) } });
  if (result.outcome) {
    await deps.db.update(notifications).set({ verdict: "processed", processedAt: now(deps), nextAttemptAt: null }).where(and(eq(notifications.id, notificationId), sql`${notifications.processedAt} is null`));
  }
  return result;
}

async function check(deps: PaymentDeps, paymentId: string, actor: string, options: { evidence?: StatusEvidence; loaded?: Loaded }, verdict: ReplayOutcome["verdict"]): Promise<ReplayOutcome> {
  try {
    return { verdict, outcome: await refreshPayment(deps, paymentId, actor, options) };
  } catch (error) {
    if (error instanceof ProviderError || error instanceof PaymentError) return { verdict, error: error.code };
    throw error;
  }
}

/** A delivery naming an id with a control character is about no payment: unparseable. */
function namesPlainIds(parsed: ParsedNotification | null | undefined): ParsedNotification | null | undefined {
  if (!parsed) return parsed;
  return Object.values(parsed.lookup).some((id) => typeof id === "string" && hasControlChars(id)) ? undefined : parsed;
}

function safeParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** A notified payment by the provider's own ids (our reference was already tried with the merchant). */
async function findPayment(deps: PaymentDeps, provider: ProviderId, merchantId: string, lookup: { providerToken?: string; providerReference?: string }): Promise<PaymentRow | null> {
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

/** A body as it is stored for people to read: secrets and phone numbers redacted. */
function keptBody(body: string): string {
  const redacted = redactBody(body);
  return typeof redacted === "string" ? redacted : JSON.stringify(redacted);
}

async function logRejected(deps: PaymentDeps, provider: ProviderId, merchantId: string, paymentId: string | null, request: InboundRequest, reason: string) {
  const kept = keptBody(request.body);
  // Rejected deliveries get their own key: a forgery must never shadow the genuine notification.
  await deps.db.insert(notifications).values({
    id: newId("ntf"),
    provider,
    merchantId,
    paymentId,
    dedupeKey: `rejected:${newId("ntf")}`,
    verdict: "rejected",
    method: request.method,
    headers: redact(request.headers),
    body: kept.length > REJECTED_BODY_CHARS ? `${kept.slice(0, REJECTED_BODY_CHARS)}…` : kept,
    lastError: reason,
    processedAt: now(deps),
  });
}

