import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { outsideTheDeliveryLog as snapshot } from "@/lib/testing/row-snapshot";

/**
 * A JSON body may escape half of a surrogate pair (`"\ud800"`): JSON.parse takes it, and no byte
 * of the body is invalid UTF-8, but PostgreSQL's jsonb refuses it (SQLSTATE 22P02). A forged
 * KKiaPay webhook carrying one, naming a real payment (a shopper knows their own reference), was
 * answered 503 (which KKiaPay retries forever) when its event was recorded.
 */
describe.each(TEST_DATABASES)("a lone surrogate escaped in a webhook's JSON, on $name", ({ open }) => {
  // The demo's history holds KKiaPay payments of the merchant "demo".
  const world = usePaymentsWorld(open, { orders: 20 });

  it("is a bad request, not a 503, and writes nothing outside the delivery log", async () => {
    const db = world.database.db;
    const [payment] = await db
      .select({ id: s.payments.id, reference: s.payments.reference })
      .from(s.payments)
      .innerJoin(s.merchants, eq(s.merchants.id, s.payments.merchantId))
      .where(and(eq(s.merchants.slug, "demo"), eq(s.payments.provider, "kkiapay")))
      .limit(1);
    const before = await snapshot(db);
    for (const escaped of ["\\ud800", "\\udc00x", "a\\uDBFF"]) {
      const body = `{"transactionId":"T1","stateData":"${payment!.reference}","isPaymentSucces":true,"amount":1000,"note":"${escaped}"}`;
      const res = await fetch(`${world.app.url}/api/webhooks/kkiapay/demo`, { method: "POST", headers: { "content-type": "application/json", "x-kkiapay-secret": "forged" }, body });
      expect(res.status, escaped).toBe(400);
    }
    expect(await snapshot(db)).toEqual(before);
    // A well-formed pair (an emoji, escaped) is no reason to refuse a delivery.
    const emoji = `{"transactionId":"T2","stateData":"${payment!.reference}","isPaymentSucces":true,"amount":1000,"note":"\\ud83d\\ude00"}`;
    const ok = await fetch(`${world.app.url}/api/webhooks/kkiapay/demo`, { method: "POST", headers: { "content-type": "application/json", "x-kkiapay-secret": "forged" }, body: emoji });
    expect(ok.status).toBe(401);
    expect(await db.$count(s.notifications, and(eq(s.notifications.paymentId, payment!.id), eq(s.notifications.verdict, "rejected")))).toBe(1);
  });

  it("in a simulator's JSON (the public demo keys suffice) is a bad request, not the simulator's 500", async () => {
    const origin = world.app.url;
    const basic = Buffer.from("sbx_om_demo_client:sbx_om_demo_secret_93ac").toString("base64");
    const token = await fetch(`${origin}/sandbox/orange-money/oauth/v3/token`, { method: "POST", headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" });
    const { access_token } = (await token.json()) as { access_token: string };
    const webpayment = await fetch(`${origin}/sandbox/orange-money/orange-money-webpay/dev/v1/webpayment`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: `{"merchant_key":"a86b2087","currency":"OUV","order_id":"LONE1","amount":1000,"return_url":"${origin}/r","cancel_url":"${origin}/c","notif_url":"${origin}/n","lang":"fr","reference":"\\ud800"}`,
    });
    expect(webpayment.status).toBe(400);
    const settings = await fetch(`${origin}/sandbox/kkiapay/_control/settings`, {
      method: "POST",
      headers: { "x-sandbox-secret": "sbx_kk_demo_private_8a1f", "content-type": "application/json" },
      body: `{"accountId":"sbx_kk_demo_public_5d2e","settings":{"webhookUrl":"${origin}/\\udc00"}}`,
    });
    expect(settings.status).toBe(400);
  });
});
