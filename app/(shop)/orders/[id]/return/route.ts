import { paymentDeps } from "@/lib/payments/deps";
import { returnResponse } from "@/lib/payments/routes";

export const dynamic = "force-dynamic";

async function handler(req: Request, ctx: { params: Promise<{ id: string }> }) {
  return returnResponse(await paymentDeps(), (await ctx.params).id, req);
}

export { handler as GET, handler as POST };
