import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest (provider credentials, per-payment tokens). The format is
 * versioned so the key can be rotated: v1.<iv>.<tag>.<ciphertext>, each part base64url.
 */
const VERSION = "v1";

function keyBuffer(key: string): Buffer {
  const buf = Buffer.from(key, "base64");
  if (buf.length !== 32) throw new Error("encryption key must be 32 bytes (base64)");
  return buf;
}

export function encryptSecret(plaintext: string, key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyBuffer(key), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(payload: string, key: string): string {
  const [version, iv, tag, ciphertext] = payload.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("unrecognised secret format");
  const decipher = createDecipheriv("aes-256-gcm", keyBuffer(key), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

export function encryptJson(value: unknown, key: string): string {
  return encryptSecret(JSON.stringify(value), key);
}

export function decryptJson<T = unknown>(payload: string, key: string): T {
  return JSON.parse(decryptSecret(payload, key)) as T;
}

/** Constant-time string comparison that does not leak the expected length through timing. */
export function safeEqual(a: string, b: string): boolean {
  const ka = createHmac("sha256", "caisse-compare").update(a).digest();
  const kb = createHmac("sha256", "caisse-compare").update(b).digest();
  return timingSafeEqual(ka, kb) && a.length === b.length;
}
