import { and, eq } from "drizzle-orm";
import { merchants, payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { BodyTooLarge, tooLarge } from "@/lib/body-limit";
import { isMalformed, readInbound } from "./inbound";
import { handleNotification } from "./notifications";
import { handleReturn } from "./returns";
import { PROVIDER_IDS, type ProviderId } from "./types";
import { errorMessage, logger } from "@/lib/log";
import { hasControlChars, isUnreadableUrl } from "@/lib/validation";

/**
 * The HTTP side of payments as plain Request → Response functions: Next's route files call
 * them, and integration tests serve the very same functions over a real socket.
 */

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export async function webhookResponse(deps: PaymentDeps, provider: string, merchant: string, req: Request): Promise<Response> {
  // A slug with a control character names no merchant: 404, which no provider retries.
  if (!isProviderId(provider) || hasControlChars(merchant)) return new Response("Not Found", { status: 404 });
  // CinetPay pings the notify URL with a bodiless GET and expects 200; iPay's server-side
  // callback, on the other hand, IS a GET carrying its status query.
  if (req.method === "GET" && !(provider === "ipay" && new URL(req.url).searchParams.has("status"))) return new Response("OK", { status: 200 });
  try {
    const inbound = await readInbound(req);
    if (isMalformed(inbound)) return new Response("malformed request", { status: 400 });
    const result = await handleNotification(deps, provider, merchant, inbound);
    return new Response(result.body, { status: result.status, headers: { "content-type": result.contentType } });
  } catch (error) {
    // Not worth a retry: the same body will be as large next time.
    if (error instanceof BodyTooLarge) return tooLarge();
    // Our fault (database down…): a 5xx makes providers that retry (KKiaPay) try again.
    logger(`webhook:${provider}`).error({ err: errorMessage(error) }, "notification failed");
    return new Response("temporarily unavailable", { status: 503 });
  }
}

/**
 * Where providers send the shopper back: CinetPay with a browser POST, Orange and KKiaPay with a
 * GET, iPay with a GET carrying its status query. None of it is proof of payment: it triggers a
 * status check, then 303s to the order page.
 */
export async function returnResponse(deps: PaymentDeps, orderId: string, req: Request): Promise<Response> {
  const url = new URL(req.url);
  const paymentId = url.searchParams.get("p");
  // Ids and iPay's or KKiaPay's query never hold a control character (PostgreSQL refuses NUL).
  if (hasControlChars(orderId) || isUnreadableUrl(url)) return new Response("Bad Request", { status: 400 });
  try {
    const [payment] = paymentId
      ? await deps.db
          .select({ provider: payments.provider, slug: merchants.slug })
          .from(payments)
          .innerJoin(merchants, eq(merchants.id, payments.merchantId))
          .where(and(eq(payments.id, paymentId), eq(payments.orderId, orderId)))
      : [];
    if (payment?.provider === "ipay" && url.searchParams.has("status")) {
      // iPay's callback is a GET: its query is read, never a body (nor is any other return's).
      await handleNotification(deps, "ipay", payment.slug, await readInbound(req));
    } else {
      await handleReturn(deps, orderId, payment ? paymentId : null, {
        cancelled: url.searchParams.get("cancelled") === "1",
        // KKiaPay appends its transaction id to the callback; it is checked before it is kept.
        candidateProviderReference: payment?.provider === "kkiapay" ? (url.searchParams.get("transaction_id") ?? undefined) : undefined,
      });
    }
  } catch (error) {
    logger("return").warn({ err: errorMessage(error), orderId }, "status check failed");
  }
  return new Response(null, { status: 303, headers: { location: `/orders/${encodeURIComponent(orderId)}` } });
}
