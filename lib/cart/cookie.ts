import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * The shopper's cart, kept by the browser in a cookie the server signs: product ids and
 * quantities for one store, never a price (prices are read from the database at every render
 * and at checkout). A cookie that is too long, not signed by us, or signed for another store
 * reads as an empty cart: whatever a browser sends, the storefront renders.
 */
export type CartLine = { productId: string; quantity: number };

/** Bounds that keep the cookie well under the 4 KB browsers keep: 30 lines is about 1.3 KB. */
export const MAX_LINES = 30;
export const MAX_QUANTITY = 99;
const MAX_COOKIE_LENGTH = 2048;

const PRODUCT_ID = /^prd_[A-Za-z0-9]{22}$/;
const VERSION = "c1";

/** A key of its own, derived from the app secret: a cart signature can sign nothing else. */
export function cartKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("caisse cart cookie v1").digest();
}

const mac = (key: Buffer, payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export function encodeCart(key: Buffer, shop: string, lines: CartLine[]): string {
  const body = lines.map((l) => `${l.productId}:${l.quantity}`).join(",");
  const payload = Buffer.from(`${shop}|${body}`).toString("base64url");
  return `${VERSION}.${payload}.${mac(key, `${VERSION}.${payload}`)}`;
}

export function decodeCart(key: Buffer, shop: string, cookie: string | undefined): CartLine[] {
  if (!cookie || cookie.length > MAX_COOKIE_LENGTH) return [];
  const [version, payload, signature, ...rest] = cookie.split(".");
  if (version !== VERSION || !payload || !signature || rest.length) return [];
  if (!safeEqual(signature, mac(key, `${version}.${payload}`))) return [];
  const text = Buffer.from(payload, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar < 0 || text.slice(0, bar) !== shop) return [];
  const lines: CartLine[] = [];
  for (const item of text.slice(bar + 1).split(",")) {
    const [productId, count] = item.split(":");
    const quantity = Number(count);
    if (!productId || !PRODUCT_ID.test(productId) || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) continue;
    if (lines.length < MAX_LINES && !lines.some((l) => l.productId === productId)) lines.push({ productId, quantity });
  }
  return lines;
}

/** The cart after one of the shopper's buttons: add one, one more, one less, or remove the line. */
export type CartOp = "add" | "inc" | "dec" | "remove";

export function applyCartOp(lines: CartLine[], op: CartOp, productId: string): CartLine[] {
  const current = lines.find((l) => l.productId === productId)?.quantity ?? 0;
  const next = op === "remove" ? 0 : op === "dec" ? current - 1 : Math.min(current + 1, MAX_QUANTITY);
  // A product not in the cart is only ever added, and only while there is room for a line.
  if (current === 0 && (op !== "add" || lines.length >= MAX_LINES)) return lines;
  if (next <= 0) return lines.filter((l) => l.productId !== productId);
  return current === 0 ? [...lines, { productId, quantity: next }] : lines.map((l) => (l.productId === productId ? { productId, quantity: next } : l));
}
