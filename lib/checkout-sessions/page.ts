import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants } from "@/db/schema";
import { checkoutCountries, paymentOptions, type PaymentOption } from "@/lib/payments/routing";
import { isRecordId } from "@/lib/validation";
import { sessionAccounts } from "./accounts";
import { loadSession } from "./read";

/**
 * What a session's page shows: the session, its store, and the ways to pay it by country, from
 * the accounts of the session's mode that take its amount (a country with none is not offered).
 */
export async function loadSessionPage(db: Db, id: string) {
  if (!isRecordId(id)) return null;
  const session = await loadSession(db, { id });
  if (!session) return null;
  const [[merchant], accounts] = await Promise.all([db.select().from(merchants).where(eq(merchants.id, session.merchantId)), sessionAccounts(db, session)]);
  const optionsByCountry: Record<string, PaymentOption[]> = {};
  for (const country of checkoutCountries(merchant!.currency, accounts)) {
    const options = paymentOptions(country, merchant!.currency, session.amountMinor, accounts);
    if (options.length) optionsByCountry[country] = options;
  }
  return { session, merchant: merchant!, countries: Object.keys(optionsByCountry), optionsByCountry };
}
