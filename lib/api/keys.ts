import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { FORBIDDEN, type ActionResult } from "@/lib/dashboard/payment-actions";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import type { Mode } from "@/lib/payments/types";
import { fieldErrorCodes, isPlainText, recordId } from "@/lib/validation";

/**
 * A store's API keys: `ck_test_…` (sandbox) or `ck_live_…` and 43 base62 characters, 32 random
 * bytes. Only the SHA-256 is stored; the key is shown once, when made. Creation and revocation
 * go to the "api-keys" log (no merchant audit table exists yet, as for the team): ids, never keys.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_LENGTH = 43; // 62^43 > 2^256
export const KEY_FORMAT = /^ck_(test|live)_[0-9A-Za-z]{43}$/;
const PREFIX: Record<Mode, string> = { sandbox: "ck_test_", live: "ck_live_" };

/** "Last used" is written at most this often per key, so a request costs no write for it. */
export const LAST_USED_PRECISION_MS = 60_000;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function newApiKey(mode: Mode): string {
  let n = BigInt(`0x${randomBytes(32).toString("hex")}`);
  let out = "";
  for (let i = 0; i < SECRET_LENGTH; i++) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return PREFIX[mode] + out;
}

const audit = (ctx: MerchantContext, event: string, details: Record<string, unknown>) =>
  logger("api-keys").info({ merchantId: ctx.merchant.id, actorUserId: ctx.user.id, ...details }, event);

export async function listApiKeys(db: Db, merchantId: string) {
  return db
    .select({ id: apiKeys.id, mode: apiKeys.mode, name: apiKeys.name, lastFour: apiKeys.lastFour, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(100);
}

const createSchema = z.object({
  name: z.string().trim().min(1, "name_required").max(60, "too_long").refine((v) => isPlainText(v), "invalid"),
  mode: z.enum(["sandbox", "live"], { error: "mode_invalid" }),
});

/** Makes a key and returns it: the only time it exists outside the merchant's hands. */
export async function createApiKey(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ keyId: string; key: string; lastFour: string }>> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const key = newApiKey(parsed.data.mode);
  const keyId = newId("key");
  const lastFour = key.slice(-4);
  await db.insert(apiKeys).values({ id: keyId, merchantId: ctx.merchant.id, mode: parsed.data.mode, name: parsed.data.name, keyHash: hashApiKey(key), lastFour, createdBy: ctx.user.id });
  audit(ctx, "api key created", { keyId, mode: parsed.data.mode });
  return { ok: true, keyId, key, lastFour };
}

export async function revokeApiKey(db: Db, ctx: MerchantContext, input: unknown, now = new Date()): Promise<ActionResult> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = z.object({ keyId: recordId }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: now, revokedBy: ctx.user.id })
    .where(and(eq(apiKeys.id, parsed.data.keyId), eq(apiKeys.merchantId, ctx.merchant.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!revoked.length) return { ok: false, error: "not_found" };
  audit(ctx, "api key revoked", { keyId: parsed.data.keyId });
  return { ok: true };
}

/** Who a request speaks for: the key's store and mode. */
export type ApiCaller = { keyId: string; merchantId: string; mode: Mode };

/**
 * The caller a presented key stands for, or null (unknown, malformed or revoked key). Looked up
 * by its hash's index, then compared in constant time. "Last used" moves only when a minute has
 * passed since it was last written, by a conditional update two instances cannot both win.
 */
export async function authenticateApiKey(db: Db, presented: string, now = new Date()): Promise<ApiCaller | null> {
  if (!KEY_FORMAT.test(presented)) return null;
  const hash = hashApiKey(presented);
  const [row] = await db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, mode: apiKeys.mode, keyHash: apiKeys.keyHash, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hash));
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash, "hex"), Buffer.from(hash, "hex")) || row.revokedAt) return null;
  const stale = new Date(now.getTime() - LAST_USED_PRECISION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < stale) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return { keyId: row.id, merchantId: row.merchantId, mode: row.mode };
}
