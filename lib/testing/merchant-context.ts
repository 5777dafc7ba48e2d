import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";

/** A seeded user's merchant context, as requireMerchant() builds it for a signed-in session. */
export async function seededMerchantContext(database: Database, email: string): Promise<MerchantContext> {
  const [user] = await database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, email));
  if (!user) throw new Error(`no seeded user ${email}`);
  const ctx = await loadMerchantContext(database.db, user.id);
  if (!ctx) throw new Error(`${email} belongs to no merchant`);
  return ctx;
}
