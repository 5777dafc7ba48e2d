import type { Db } from "@/db/client";
import { countAttempts } from "@/lib/auth/rate-limit";

/**
 * New payment attempts on one order (the order page's "try again" and "send the prompt again")
 * allowed per 15-minute window, the window before included. The order's link is the only
 * credential those forms need, and each attempt opens a payment at the provider and may ring the
 * shopper's phone: without a bound, a loop of posts writes payments without end and spends the
 * merchant's provider budget. A hesitant shopper trying every method of a country, twice, stays
 * under it.
 */
export const ORDER_ATTEMPTS_PER_WINDOW = 6;

/** Counts one new attempt on the order, atomically, and says whether it may start. */
export async function mayStartAnotherAttempt(db: Db, orderId: string, now = new Date()): Promise<boolean> {
  const key = `order:${orderId}`;
  const { totals } = await countAttempts(db, [key], now);
  return (totals.get(key) ?? 0) <= ORDER_ATTEMPTS_PER_WINDOW;
}
