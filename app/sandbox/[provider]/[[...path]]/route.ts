import { getDb } from "@/db";
import { env } from "@/lib/env";
import { handleSandbox } from "@/lib/sandbox/router";
import { sandboxSite } from "@/lib/sandbox/site";

export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  const e = env();
  // Off in production unless asked for: a simulator that says "paid" must never face real money.
  if (!e.SANDBOX_ENABLED) return new Response("Not Found", { status: 404 });
  return handleSandbox(req, { db: await getDb(), encryptionKey: e.CAISSE_ENCRYPTION_KEY, ...sandboxSite(e) });
}

export { handler as GET, handler as POST };
