import { paymentDeps } from "@/lib/payments/deps";
import { webhookResponse } from "@/lib/payments/routes";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ provider: string; merchant: string }> };

async function handler(req: Request, ctx: Ctx) {
  const { provider, merchant } = await ctx.params;
  return webhookResponse(await paymentDeps(), provider, merchant, req);
}

export { handler as GET, handler as POST };
