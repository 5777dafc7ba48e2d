import { createHash } from "node:crypto";
import type { InboundRequest, ParsedNotification } from "@/lib/payments/types";
import { notificationSchema, type OrangeNotification } from "./schemas";

export function readNotification(body: string): OrangeNotification | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = notificationSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * The body names no order (no order_id, no pay_token), so our reference rides in notif_url's
 * query (?ref=). Without it, the txnid can still find a payment a status check already tied to
 * it. The notif_token is a secret: it authenticates, it never looks anything up.
 */
/**
 * Returns null for a bodiless request (a reachability check: answered 200); throws on a body that
 * is no OM notification, so the service logs it as unparseable and answers 400.
 */
export function parseOrangeNotification(request: InboundRequest): ParsedNotification | null {
  if (!request.body.trim()) return null;
  const body = readNotification(request.body);
  if (!body) throw new Error("not an Orange Money notification: {status, notif_token, txnid} expected");
  const reference = request.query.ref?.trim();
  const txnid = body.txnid ?? undefined;
  if (!reference && !txnid) throw new Error("Orange Money notification without ?ref= nor txnid: no way to find the payment");
  const identity = txnid ?? createHash("sha256").update(request.body).digest("hex").slice(0, 32);
  return {
    lookup: reference ? { reference } : { providerReference: txnid },
    dedupeKey: `${identity}:${body.status.toUpperCase()}`,
    claimedStatus: body.status,
  };
}
