import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * x-kkiapay-secret carries the dashboard hash secret verbatim (§3.3). Seed 002 says it is an
 * HMAC-SHA256 of the raw body instead; PROVIDERS.md asks us to tolerate that too, in hex or
 * base64. Every candidate is compared (no early exit) in constant time.
 */
export function secretHeaderMatches(header: string | undefined, secret: string, rawBody: string): boolean {
  if (!header || !secret) return false;
  const mac = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  const candidates = [secret, mac.toString("hex"), mac.toString("base64")];
  let ok = false;
  for (const candidate of candidates) ok = safeEqual(header.trim(), candidate) || ok;
  return ok;
}
