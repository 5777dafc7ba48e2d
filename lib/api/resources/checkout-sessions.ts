import { createCheckoutSession, SessionInputError } from "@/lib/checkout-sessions/create";
import { createSessionSchema } from "@/lib/checkout-sessions/input";
import { loadSession, sessionPageUrl, sessionStatus, type LoadedSession } from "@/lib/checkout-sessions/read";
import type { ApiCall } from "../deps";
import { invalid, json, notFound } from "../errors";
import type { Answer } from "../idempotency";
import { parseBody } from "../request";

export function sessionView(appUrl: string, s: LoadedSession, now: Date) {
  const status = sessionStatus(s, now);
  return {
    id: s.id,
    object: "checkout_session" as const,
    url: sessionPageUrl(appUrl, s.id),
    status,
    livemode: s.mode === "live",
    amount: s.amountMinor,
    currency: s.currency,
    line_items: s.lineItems?.map((l) => ({ name: l.name, unit_amount: l.unitAmountMinor, quantity: l.quantity })) ?? null,
    client_reference: s.clientReference,
    customer: s.customer,
    metadata: s.metadata,
    success_url: s.successUrl,
    cancel_url: s.cancelUrl,
    expires_at: s.expiresAt.toISOString(),
    payment_id: s.paymentId,
    completed_at: s.completedAt?.toISOString() ?? null,
    created: s.createdAt.toISOString(),
  };
}

/** POST /checkout-sessions: the session's page (`url`) takes the shopper through today's checkout. */
export async function createSession(call: ApiCall, body: string): Promise<Answer> {
  const input = parseBody(createSessionSchema, body);
  const db = call.deps.payments.db;
  try {
    const row = await createCheckoutSession(db, call.caller, input, call.now);
    return { status: 201, body: sessionView(call.deps.payments.appUrl, { ...row, completedAt: null, paymentId: null, orderStatus: null }, call.now) };
  } catch (error) {
    if (error instanceof SessionInputError) throw invalid(error.code, error.message, error.param);
    throw error;
  }
}

/** GET /checkout-sessions/{id}: the caller's store's and mode's only (as Stripe's test and live data); another's is not found. */
export async function getSession(call: ApiCall, id: string): Promise<Response> {
  const session = await loadSession(call.deps.payments.db, { id, merchantId: call.caller.merchantId });
  if (!session || session.mode !== call.caller.mode) throw notFound("checkout session");
  return json(sessionView(call.deps.payments.appUrl, session, call.now));
}
