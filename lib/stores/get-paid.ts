import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { COLLECTED_STATUSES, merchants, paymentLinks, payments, products, providerAccounts } from "@/db/schema";

export const GET_PAID_STEPS = ["catalog", "sandbox", "testPayment", "live"] as const;
export type GetPaidStep = { key: (typeof GET_PAID_STEPS)[number]; done: boolean; href: string };

const exists = (query: ReturnType<typeof sql>) => sql<boolean>`exists (${query})`.mapWith(Boolean);

/**
 * The "get paid" checklist of the dashboard's overview, each step read from the database, in one
 * query: something to sell (a product or a payment link); a provider account enabled with its
 * sandbox set; a payment collected in sandbox mode (the merchant's own test purchase); an
 * enabled account in live mode. A sandbox account switched to live still counts as connected
 * (its sandbox set stays beside the live one), so going live does not undo step 2.
 */
export async function getPaidChecklist(db: Db, merchant: { id: string; slug: string }): Promise<GetPaidStep[]> {
  const id = merchant.id;
  const [row] = await db
    .select({
      catalog: sql<boolean>`(${exists(sql`select 1 from ${products} where ${products.merchantId} = ${id}`)} or ${exists(sql`select 1 from ${paymentLinks} where ${paymentLinks.merchantId} = ${id}`)})`.mapWith(Boolean),
      sandbox: exists(
        sql`select 1 from ${providerAccounts} where ${providerAccounts.merchantId} = ${id} and ${providerAccounts.enabled} and (${providerAccounts.mode} = 'sandbox' or ${providerAccounts.sandboxPublicId} is not null)`,
      ),
      testPayment: exists(
        sql`select 1 from ${payments} where ${payments.merchantId} = ${id} and ${payments.mode} = 'sandbox' and ${payments.status} in (${sql.join(
          COLLECTED_STATUSES.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      ),
      live: exists(sql`select 1 from ${providerAccounts} where ${providerAccounts.merchantId} = ${id} and ${providerAccounts.enabled} and ${providerAccounts.mode} = 'live'`),
    })
    .from(merchants)
    .where(eq(merchants.id, id));
  const done = row ?? { catalog: false, sandbox: false, testPayment: false, live: false };
  const href = { catalog: "/dashboard/products", sandbox: "/dashboard/settings#providers", testPayment: `/${merchant.slug}`, live: "/dashboard/settings#providers" };
  return GET_PAID_STEPS.map((key) => ({ key, done: done[key], href: href[key] }));
}
