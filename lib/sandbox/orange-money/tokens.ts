import { createHmac } from "node:crypto";
import { z } from "zod";
import { safeEqual } from "@/lib/crypto";

/** WebPay tokens live "about 90 days": expires_in is the string "7776000" on the wire. */
export const TOKEN_LIFETIME_SECONDS = 7_776_000;

const payloadSchema = z.object({ c: z.string().min(1), x: z.number().int() });

/**
 * Access tokens are stateless (HMAC-signed {clientId, expiry}) so that the simulator keeps no
 * token table; the key is derived from the app's encryption key, never the key itself.
 */
function signingKey(encryptionKey: string): Buffer {
  return createHmac("sha256", encryptionKey).update("sandbox:orange-money:access-token").digest();
}

function sign(payload: string, encryptionKey: string): string {
  return createHmac("sha256", signingKey(encryptionKey)).update(payload).digest("base64url");
}

export function issueAccessToken(clientId: string, expiresAt: Date, encryptionKey: string): string {
  const payload = Buffer.from(JSON.stringify({ c: clientId, x: expiresAt.getTime() })).toString("base64url");
  return `${payload}.${sign(payload, encryptionKey)}`;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: "invalid" | "expired" };

export function checkAccessToken(token: string, now: Date, encryptionKey: string): TokenCheck {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !safeEqual(sign(payload, encryptionKey), signature)) return { ok: false, reason: "invalid" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  if (parsed.data.x <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, clientId: parsed.data.c };
}
