import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, merchants, users } from "@/db/schema";

export type Role = "owner" | "staff";

export type MerchantContext = {
  user: { id: string; email: string; name: string };
  role: Role;
  merchant: { id: string; slug: string; name: string; country: string; currency: string; defaultLocale: string; timeZone: string };
};

/**
 * Looks the membership up on every request rather than trusting the JWT, so a removed member
 * or a changed role takes effect at once. `chosenMerchantId` (lib/stores/current.ts) picks among
 * the user's stores; it is only ever compared with the user's own memberships, so a store the
 * user does not belong to is never chosen: the oldest membership is taken instead.
 */
export async function loadMerchantContext(db: Db, userId: string, chosenMerchantId: string | null = null): Promise<MerchantContext | null> {
  const [row] = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      role: members.role,
      merchant: {
        id: merchants.id,
        slug: merchants.slug,
        name: merchants.name,
        country: merchants.country,
        currency: merchants.currency,
        defaultLocale: merchants.defaultLocale,
        timeZone: merchants.timeZone,
      },
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(merchants, eq(merchants.id, members.merchantId))
    .where(eq(members.userId, userId))
    .orderBy(desc(sql`${members.merchantId} = ${chosenMerchantId ?? ""}`), asc(members.createdAt), asc(members.id))
    .limit(1);
  return row ?? null;
}

/** A resource is visible only to its own merchant; anything else looks like it does not exist. */
export function ownsResource(ctx: Pick<MerchantContext, "merchant">, resource: { merchantId: string } | null | undefined): boolean {
  return Boolean(resource) && resource!.merchantId === ctx.merchant.id;
}
