import { describe, expect, it } from "vitest";
import { findInvitation } from "@/lib/auth/invitations";
import { loadShop } from "@/lib/checkout/shop";
import { exportOrdersCsv } from "@/lib/dashboard/csv-copy";
import { decodeCursor, encodeCursor, parseOrderFilters } from "@/lib/dashboard/filters";
import { encodeTimeCursor, readTimeCursor } from "@/lib/dashboard/keyset";
import { getOrderDetail } from "@/lib/dashboard/order-detail";
import { listOrders } from "@/lib/dashboard/orders";
import { getPublicOrder } from "@/lib/orders/public";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { merchantId, newOrder } from "@/lib/testing/payments";
import { startPayment } from "@/lib/payments/start";

/**
 * Issue 13 item 6. A NUL byte (or any control character) in a URL segment or a query reached
 * SQL, where PostgreSQL refuses it: a 500 for pages, a 503 for webhooks (which KKiaPay retries,
 * for a request that can never succeed). Each place an outside value reaches SQL refuses them
 * first: 400 for a malformed request, 404 for an unknown slug or id. The proxy answers 400 for
 * any page (e2e/security.spec.ts); these are the checks behind it, and the routes it does not
 * cover.
 */
describe.each(TEST_DATABASES)("control characters never reach SQL, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const hook = (provider: string, slug: string, body: unknown) =>
    fetch(`${world.app.url}/api/webhooks/${provider}/${slug}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("a webhook for a merchant slug with a control character is an unknown merchant (404), not a 503 to retry", async () => {
    expect((await hook("kkiapay", "%00", { transactionId: "tx_1" })).status).toBe(404);
    expect((await hook("kkiapay", "demo%01", { transactionId: "tx_1" })).status).toBe(404);
    expect((await fetch(`${world.app.url}/api/webhooks/ipay/%00?status=x&id=y`)).status).toBe(404);
  });

  it("a delivery naming a reference or transaction with a control character is unparseable (400)", async () => {
    expect((await hook("kkiapay", "demo", { transactionId: "tx_2", stateData: "CS\u0000" })).status).toBe(400);
    expect((await hook("kkiapay", "demo", { transactionId: "tx_\u0000" })).status).toBe(400);
    expect((await fetch(`${world.app.url}/api/webhooks/ipay/autre?status=x&id=CS%00`)).status).toBe(400);
    // Other control characters do not break SQL, and still name no payment.
    expect((await hook("kkiapay", "demo", { transactionId: "tx_3", stateData: "CS\u0001" })).status).toBe(400);
    expect((await fetch(`${world.app.url}/api/webhooks/ipay/autre?status=x%1F&id=CS1`)).status).toBe(400);
  });

  it("a form delivery naming a real payment with a percent-encoded NUL in any field is malformed (400), not a 503", async () => {
    // Found by the review of issue 13: the raw-body check missed %00, which the form decodes to a
    // NUL; the forged delivery's event (a jsonb copy of the form) then failed with 22P05, a 503.
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    const form = (extra: string) =>
      fetch(`${world.app.url}/api/webhooks/cinetpay/demo`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `cpm_site_id=x&cpm_trans_id=${started.reference}&${extra}` });
    expect((await form("cpm_error_message=%00")).status).toBe(400);
    expect((await form("cpm%00=1")).status).toBe(400);
    // Other control characters are stored (redacted) like any forged delivery.
    expect((await form("cpm_error_message=a%01b")).status).toBe(401);
  });

  it("a delivery nested thousands deep (40 KB, under the cap) is answered, never a 503 to retry", async () => {
    // Found by the review of issue 13: storing the rejected delivery overflowed JSON.stringify's stack.
    const deep = `{"transactionId":"tx_deep","stateData":"CSNOPE","deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const res = await fetch(`${world.app.url}/api/webhooks/kkiapay/demo`, { method: "POST", headers: { "content-type": "application/json" }, body: deep });
    expect(res.status).toBeLessThan(500);
  });

  it("the return URL refuses an order or payment id with a control character (400)", async () => {
    const order = await newOrder(world.database, "demo", 1);
    expect((await fetch(`${world.app.url}/orders/${order.id}/return?p=%00`, { redirect: "manual" })).status).toBe(400);
    expect((await fetch(`${world.app.url}/orders/%00/return`, { redirect: "manual" })).status).toBe(400);
    expect((await fetch(`${world.app.url}/orders/${order.id}/return?transaction_id=tx%00`, { redirect: "manual" })).status).toBe(400);
    // A plain unknown id still goes back to the order page.
    expect((await fetch(`${world.app.url}/orders/${order.id}/return?p=pay_unknown`, { redirect: "manual" })).status).toBe(303);
  });

  it("lookups by public id or slug find nothing instead of failing", async () => {
    const db = world.database.db;
    const order = await newOrder(world.database, "demo", 1);
    expect(await getPublicOrder(db, `${order.id}\u0000`)).toBeNull();
    expect(await getPublicOrder(db, "\u0000")).toBeNull();
    expect(await loadShop(db, "demo\u0000")).toBeNull();
    expect(await getOrderDetail(db, order.merchantId, `${order.id}\u0000`)).toBeNull();
    expect(await findInvitation(db, "\u0000")).toEqual({ state: "unknown" });
  });

  it("a search or cursor with a control character is dropped, and the list and export still answer", async () => {
    const db = world.database.db;
    const mid = await merchantId(world.database, "demo");
    const filters = parseOrderFilters({ q: "awa\u0000", cursor: encodeCursor({ v: "2026-01-15 10:00:00+00", id: "ord_\u0000" }) }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    expect(filters.q).toBeUndefined();
    expect(filters.cursor).toBeUndefined();
    await expect(listOrders(db, mid, filters)).resolves.toBeDefined();
    await expect(new Response(exportOrdersCsv(world.database, mid, filters, { variant: "csv", timeZone: "Africa/Abidjan" })).text()).resolves.toContain("reference,");
    expect(decodeCursor(encodeCursor({ v: 5, id: "x\u0001" }), "amount")).toBeUndefined();
    expect(readTimeCursor(encodeTimeCursor({ at: "2026-01-15 10:00:00+00", id: "ntf_\u0000" }))).toBeUndefined();
  });
});
