import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a secret is `whsec_` and the
 * base64 of 24 random bytes; a signature is `v1,` and the base64 HMAC-SHA256, keyed with those
 * bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. During a rotation every active secret
 * signs: the header lists their signatures separated by spaces, and the receiver accepts any.
 */
export const SECRET_PREFIX = "whsec_";
export const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{32}$/;

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64");
}

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** The headers of one delivery attempt; `timestamp` in seconds since the epoch. */
export function signedHeaders(secrets: string[], id: string, timestamp: number, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((secret) => signature(secret, id, timestamp, body)).join(" "),
  };
}
