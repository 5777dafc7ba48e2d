import type { Db } from "@/db/client";
import { getPublicOrder } from "./public";

/**
 * GET /api/orders/<id>/status, polled by the order page, as a plain Request → Response function
 * (the route file calls it, tests serve it over a socket). Small, uncached, and keyed only by the
 * unguessable order id: nobody learns more than the order page itself shows.
 */
export async function orderStatusResponse(db: Db, orderId: string): Promise<Response> {
  const order = await getPublicOrder(db, orderId);
  if (!order) return Response.json({ error: "not_found" }, { status: 404 });
  const latest = order.payments[0];
  return Response.json(
    { status: order.status, payment: latest ? { status: latest.status, provider: latest.provider, method: latest.method, expiresAt: latest.expiresAt, attemptOutcome: latest.attemptOutcome } : null },
    { headers: { "cache-control": "no-store" } },
  );
}
