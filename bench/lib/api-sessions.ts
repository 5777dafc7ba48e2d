import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { hashApiKey, newApiKey } from "@/lib/api/keys";
import { newId } from "@/lib/ids";

/**
 * POST /api/v1/checkout-sessions as a merchant's server sends it: a fresh Idempotency-Key each
 * time, an amount or line items. Keys rotate so the per-key rate limit (100 per 10 s) never
 * answers instead of the route; a 429 or anything but 201 stops the bench.
 */
export async function sandboxKeys(sql: Sql, slug: string, count: number): Promise<string[]> {
  const [merchant] = await sql<{ id: string }[]>`select id from merchants where slug = ${slug}`;
  const keys = Array.from({ length: count }, () => newApiKey("sandbox"));
  for (const [i, key] of keys.entries()) {
    await sql`insert into api_keys (id, merchant_id, mode, name, key_hash, last_four)
              values (${newId("key")}, ${merchant!.id}, 'sandbox', ${`bench ${i}`}, ${hashApiKey(key)}, ${key.slice(-4)})`;
  }
  return keys;
}

export async function createSession(appUrl: string, key: string, i: number): Promise<number> {
  const body =
    i % 2 === 0
      ? { amount: 5_000 + 5 * (i % 100), currency: "XOF", client_reference: `bench-${i}`, success_url: "https://shop.example/paid", cancel_url: "https://shop.example/cart" }
      : {
          line_items: [{ name: "Pagne wax", unit_amount: 15_000, quantity: 1 + (i % 3) }, { name: "Livraison", unit_amount: 1_000, quantity: 1 }],
          currency: "XOF",
          customer: { name: "Aminata Traoré", phone: "+2250707070707", country: "CI" },
          metadata: { cart: String(i) },
          success_url: "https://shop.example/paid?session_id={CHECKOUT_SESSION_ID}",
          cancel_url: "https://shop.example/cart",
        };
  const started = performance.now();
  const res = await fetch(`${appUrl}/api/v1/checkout-sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const elapsed = performance.now() - started;
  if (res.status !== 201) throw new Error(`POST /checkout-sessions answered ${res.status}: ${text.slice(0, 300)}`);
  return elapsed;
}
