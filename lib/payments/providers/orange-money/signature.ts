import { safeEqual } from "@/lib/crypto";
import type { Verdict } from "@/lib/payments/types";

/**
 * OM signs nothing: a notification is authentic when it carries the notif_token Orange gave us
 * at creation (PROVIDERS.md §2.5). Compared in constant time. Without a stored token we cannot
 * tell; with one, a missing or different token is a forgery.
 */
export function verifyNotifToken(received: string | undefined, stored: string | undefined): Verdict {
  if (!stored) return "unverifiable";
  if (!received) return "forged";
  return safeEqual(received, stored) ? "authentic" : "forged";
}
