import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { createOrder } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";

/**
 * Test helpers for whole payment flows: orders priced from the seeded catalog, the seeded
 * sandbox credentials, what a shopper's browser does on each hosted page (plain HTTP), and
 * waiting for asynchronous outcomes (notifications are sent in the background).
 */

export function seededCredentials(slug: "demo" | "autre", provider: string): Record<string, string> {
  const account = SEED_MERCHANTS.find((m) => m.slug === slug)?.accounts.find((a) => a.provider === provider);
  if (!account) throw new Error(`no seeded ${provider} account for ${slug}`);
  return account.credentials;
}

export async function merchantId(database: Database, slug: string): Promise<string> {
  const [m] = await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, slug));
  if (!m) throw new Error(`merchant ${slug} not seeded`);
  return m.id;
}

/** An order of `quantity` × the merchant's cheapest product, priced by the database. */
export async function newOrder(database: Database, slug: "demo" | "autre", quantity = 2) {
  const id = await merchantId(database, slug);
  const [product] = await database.db.select().from(s.products).where(eq(s.products.merchantId, id)).orderBy(asc(s.products.priceMinor)).limit(1);
  const customer =
    slug === "demo"
      ? { name: "Aminata Traoré", email: "aminata@example.ci", phone: "+2250707070707", country: "CI" }
      : { name: "Brian Otieno", email: "brian@example.co.ke", phone: "+254722000000", country: "KE" };
  const [merchant] = await database.db.select({ id: s.merchants.id, currency: s.merchants.currency }).from(s.merchants).where(eq(s.merchants.id, id));
  const cart = await priceCart(database.db, id, [{ productId: product!.id, quantity }]);
  const order = await createOrder(database.db, { merchant: merchant!, customer, locale: slug === "demo" ? "fr" : "en", cart: cart! });
  return { ...order, merchantId: id };
}

export async function paymentRow(database: Database, paymentId: string) {
  const [row] = await database.db.select().from(s.payments).where(eq(s.payments.id, paymentId));
  if (!row) throw new Error(`payment ${paymentId} not found`);
  return row;
}

export async function eventsOf(database: Database, paymentId: string) {
  return database.db.select().from(s.paymentEvents).where(eq(s.paymentEvents.paymentId, paymentId)).orderBy(asc(s.paymentEvents.id));
}

export async function notificationsOf(database: Database, paymentId: string) {
  return database.db.select().from(s.notifications).where(and(eq(s.notifications.paymentId, paymentId))).orderBy(asc(s.notifications.receivedAt));
}

/**
 * Waits for an asynchronous outcome (a background notification being processed), checking every
 * 50 ms, and fails with the last value seen. The outcome is deterministic; only its time is not.
 */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

export const statusOf = (database: Database, paymentId: string) => () => paymentRow(database, paymentId).then((p) => p.status);

/** Posts a hosted page's form like a browser would, without following redirects. */
export async function submitForm(url: string, fields: Record<string, string>) {
  return fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
}

/** The action and hidden fields of a page's form with this id (CinetPay's POST back to return_url). */
export function formFields(html: string, formId: string): { action: string; fields: Record<string, string> } {
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form #${formId} in the page`);
  const action = /action="([^"]+)"/.exec(form[0])?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const m of form[1]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decodeEntities(m[2]!);
  return { action: decodeEntities(action), fields };
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

export async function sandboxControl(appUrl: string, provider: string, accountId: string, secret: string, path: string, body?: unknown) {
  const res = await fetch(`${appUrl}/sandbox/${provider}/_control/${path}${body ? "" : `${path.includes("?") ? "&" : "?"}accountId=${encodeURIComponent(accountId)}`}`, {
    method: body ? "POST" : "GET",
    headers: { "x-sandbox-secret": secret, "content-type": "application/json" },
    body: body ? JSON.stringify({ accountId, ...body }) : undefined,
  });
  if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Credential fields that are secrets: public keys and merchant ids travel in the open. */
export function secretCredentialValues(credentials: Record<string, string>): string[] {
  return Object.entries(credentials)
    .filter(([key]) => /secret|key|private/i.test(key) && !/merchantKey|publicKey/.test(key))
    .map(([, value]) => value);
}

/** Every stored payment event and inbound delivery, as JSON, that holds one of these secrets. */
export async function storedRowsHolding(database: Database, secrets: string[]): Promise<{ rows: number; holding: string[] }> {
  const rows = [...(await database.db.select().from(s.paymentEvents)), ...(await database.db.select().from(s.notifications))].map((r) => JSON.stringify(r));
  return { rows: rows.length, holding: rows.filter((text) => secrets.some((secret) => text.includes(secret))) };
}
