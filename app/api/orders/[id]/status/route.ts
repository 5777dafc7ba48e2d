import { getDb } from "@/db";
import { getPublicOrder } from "@/lib/orders/public";

export const dynamic = "force-dynamic";

/** Polled by the order page; small, uncached, and keyed only by the unguessable order id. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const order = await getPublicOrder(await getDb(), (await ctx.params).id);
  if (!order) return Response.json({ error: "not_found" }, { status: 404 });
  const latest = order.payments[0];
  return Response.json(
    { status: order.status, payment: latest ? { status: latest.status, provider: latest.provider, method: latest.method, expiresAt: latest.expiresAt, attemptOutcome: latest.attemptOutcome } : null },
    { headers: { "cache-control": "no-store" } },
  );
}
