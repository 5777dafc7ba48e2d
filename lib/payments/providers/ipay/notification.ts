import type { InboundRequest, ParsedNotification } from "@/lib/payments/types";
import { fromWireAmount } from "./amounts";
import { IPN_FIELDS, IPN_ID } from "./ipn";
import { callbackQuerySchema } from "./schemas";

/**
 * The §4.2 callback GET (the shopper's browser on our return page, or iPay's server on our
 * webhook). Nothing in it is signed: it only says which payment to check, and which ids to ask
 * the IPN about.
 * Returns null for a bare request without iPay's query (a ping); throws when half of it is there.
 */
export function parseCallback(request: InboundRequest): ParsedNotification | null {
  const query = Object.keys(request.query).length ? request.query : Object.fromEntries(new URL(request.url, "http://x").searchParams);
  if (!("status" in query) && !("id" in query)) return null;
  const q = callbackQuerySchema.parse(query);
  const mc = q.mc ? fromWireAmount(q.mc) : null;
  // Kept for the status check to ask the IPN about; anything not shaped like iPay's ids is left out.
  const fields = Object.fromEntries(IPN_FIELDS.flatMap((k) => (IPN_ID.test(q[k] ?? "") ? [[k, q[k]!]] : [])));
  return {
    lookup: { reference: q.id },
    // A stale "pending" and the final callback differ by status; retries of one share txncd/qwh.
    dedupeKey: `${q.id}:${q.status}:${q.txncd || q.qwh || ""}`,
    claimedStatus: q.status,
    ...(mc !== null ? { claimedAmountMinor: mc } : {}),
    ...(Object.keys(fields).length ? { evidence: { fields } } : {}),
  };
}
