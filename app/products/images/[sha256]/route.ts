import { getDb } from "@/db";
import { serveProductImage } from "@/lib/products/image-route";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ sha256: string }> }) {
  return serveProductImage(await getDb(), (await ctx.params).sha256);
}
