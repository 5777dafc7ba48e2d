import { createHmac } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, merchants } from "@/db/schema";
import { safeEqual } from "@/lib/crypto";
import { isRecordId } from "@/lib/validation";

/**
 * The store a signed-in person works in, when they belong to several, is remembered in this
 * cookie: the store's id and an HMAC binding it to the user. It is only a preference:
 * loadMerchantContext still requires a membership of that store, so a forged or stale choice
 * falls back to the oldest membership, never to a store the user is not a member of.
 */
export const STORE_COOKIE = "caisse-store";
export const STORE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

const mac = (secret: string, userId: string, merchantId: string) => createHmac("sha256", secret).update(`store-choice\0${userId}\0${merchantId}`).digest("base64url");

export function signStoreChoice(secret: string, userId: string, merchantId: string): string {
  return `${merchantId}.${mac(secret, userId, merchantId)}`;
}

/** The chosen store's id, or null for a missing, malformed or forged cookie (or another user's). */
export function readStoreChoice(secret: string, userId: string, value: string | undefined): string | null {
  const [merchantId, signature, extra] = (value ?? "").split(".");
  if (extra !== undefined || !signature || !isRecordId(merchantId)) return null;
  return safeEqual(signature, mac(secret, userId, merchantId)) ? merchantId : null;
}

export type StoreChoice = { id: string; name: string; slug: string; role: "owner" | "staff" };

/** Every store the user belongs to, for the switcher, by name. */
export async function listStores(db: Db, userId: string): Promise<StoreChoice[]> {
  return db
    .select({ id: merchants.id, name: merchants.name, slug: merchants.slug, role: members.role })
    .from(members)
    .innerJoin(merchants, eq(merchants.id, members.merchantId))
    .where(eq(members.userId, userId))
    .orderBy(asc(merchants.name), asc(merchants.slug));
}
