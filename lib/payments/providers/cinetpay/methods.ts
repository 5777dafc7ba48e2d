import type { PaymentMethod } from "@/lib/payments/types";
import type { CHANNELS } from "./schemas";

export const CINETPAY_METHODS = ["orange_money", "mtn", "moov", "wave", "mobile_money", "card"] as const satisfies readonly PaymentMethod[];

/**
 * The hosted page only shows the channels we ask for. Wave is filed under MOBILE_MONEY in some
 * countries and WALLET in others, so it gets ALL rather than risk an empty page.
 */
export function channelFor(method: PaymentMethod): (typeof CHANNELS)[number] | null {
  switch (method) {
    case "card":
      return "CREDIT_CARD";
    case "orange_money":
    case "mtn":
    case "moov":
      return "MOBILE_MONEY";
    case "wave":
      return "ALL";
    // The shopper picks the operator on the page: every mobile operator, Wave included, and no card.
    case "mobile_money":
      return "MOBILE_MONEY, WALLET";
    default:
      return null;
  }
}

/** CinetPay's payment_method (OM, MOMO, FLOOZ…, sometimes country-suffixed like MTNCM) → ours. */
export function methodFromWire(value: string | null | undefined): string | undefined {
  const v = value?.trim().toUpperCase();
  if (!v) return undefined;
  if (v.startsWith("OM") || v.startsWith("ORANGE")) return "orange_money";
  if (v.startsWith("MOMO") || v.startsWith("MTN")) return "mtn";
  if (v.startsWith("FLOOZ") || v.startsWith("MOOV")) return "moov";
  if (v.startsWith("WAVE")) return "wave";
  if (v === "CARD" || v.startsWith("VISA") || v.includes("CARD")) return "card";
  return value!.trim();
}
