import { createCheckoutSession, SessionInputError } from "@/lib/checkout-sessions/create";
import { createSessionSchema } from "@/lib/checkout-sessions/input";
import { loadSession, sessionPageUrl, sessionStatus, type LoadedSession } from "@/lib/checkout-sessions/read";
import type { z } from "zod";
import type { ApiCall } from "../deps";
import type { RouteInput } from "../define-route";
import { invalid, notFound } from "../errors";
import type { Answer } from "../idempotency";
import type { CheckoutSessionObject } from "../schemas";

export { createSessionSchema as createSessionBody };

export function sessionView(appUrl: string, s: LoadedSession, now: Date): CheckoutSessionObject {
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
export async function createSession(call: ApiCall, { body: input }: RouteInput<undefined, z.output<typeof createSessionSchema>>): Promise<Answer> {
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
export async function getSession(call: ApiCall, { params }: RouteInput<undefined, undefined>): Promise<Answer> {
  const session = await loadSession(call.deps.payments.db, { id: params.id!, merchantId: call.caller.merchantId });
  if (!session || session.mode !== call.caller.mode) throw notFound("checkout session");
  return { status: 200, body: sessionView(call.deps.payments.appUrl, session, call.now) };
}
