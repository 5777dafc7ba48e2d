import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import { isCurrency, parseMoney } from "@/lib/money";
import { acceptsAmount } from "@/lib/payments/limits";
import { getProvider } from "@/lib/payments/registry";

export type PriceCheck = { ok: true; priceMinor: number } | { ok: false; code: string; message?: { fr: string; en: string } };

/**
 * A price as the merchant typed it ("5 000", "1,250.00"), in minor units, that every provider
 * the store has enabled for its currency would take on its own: a product CinetPay cannot be
 * paid for (1 002 F CFA, not a multiple of 5) is refused at the field, not at the checkout.
 */
export async function checkPrice(db: Db, merchantId: string, currency: string, typed: string): Promise<PriceCheck> {
  const priceMinor = isCurrency(currency) ? parseMoney(typed, currency) : null;
  if (!priceMinor) return { ok: false, code: "amount_invalid" };
  const check = await checkFixedAmount(db, merchantId, currency, priceMinor);
  return check.ok ? { ok: true, priceMinor } : check;
}

/** The same rule for any amount fixed in advance (a product's price, a fixed payment link's amount). */
export async function checkFixedAmount(db: Db, merchantId: string, currency: string, amountMinor: number): Promise<{ ok: true } | Extract<PriceCheck, { ok: false }>> {
  const accounts = await db.select({ provider: providerAccounts.provider }).from(providerAccounts).where(and(eq(providerAccounts.merchantId, merchantId), eq(providerAccounts.enabled, true)));
  for (const { provider } of accounts) {
    if (!getProvider(provider).capabilities.currencies.includes(currency)) continue;
    const check = acceptsAmount(provider, amountMinor, currency);
    if (!check.ok) return { ok: false, code: check.code, message: check.message };
  }
  return { ok: true };
}
