import { getDb } from "@/db";
import { orderStatusResponse } from "@/lib/orders/status-response";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  return orderStatusResponse(await getDb(), (await ctx.params).id);
}
