import { describe, expect, it } from "vitest";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { sendRaw } from "@/lib/testing/raw-http";

/**
 * Issue 13 item 6, for the simulators: a control character (NUL above all, which PostgreSQL
 * refuses) in any value a caller names (a path segment, a query parameter, a field of a JSON or
 * form body) is a bad request, 400, before any lookup, even from a caller holding the account's
 * keys. Without the keys the lookups that come first (the account by its public id) were already
 * safe; these are the ones behind them.
 */
const demo = Object.fromEntries(SEED_MERCHANTS[0]!.accounts.map((a) => [a.provider, a]));
const CONTROL_SECRETS: Record<string, string> = {
  cinetpay: demo.cinetpay!.credentials.secretKey!,
  "orange-money": demo["orange-money"]!.credentials.clientSecret!,
  kkiapay: demo.kkiapay!.credentials.privateKey!,
  ipay: demo.ipay!.credentials.securityKey!,
};
const kkiapayKeys: [string, string][] = [
  ["x-api-key", demo.kkiapay!.credentials.publicKey!],
  ["x-private-key", demo.kkiapay!.credentials.privateKey!],
  ["x-secret-key", demo.kkiapay!.credentials.secretKey!],
];
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe.each(TEST_DATABASES)("control characters at the simulators, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const send = (method: string, target: string, headers: [string, string][] = [], body: Buffer | null = null) => sendRaw(world.app.url, { method, target, headers, body });

  it.each(Object.keys(CONTROL_SECRETS))("the %s control API, called with the account's secret", async (provider) => {
    const secret: [string, string] = ["x-sandbox-secret", CONTROL_SECRETS[provider]!];
    const account = demo[provider]!.publicId;
    for (const reference of ["%00", "CS1%00", "a%01b", "a%7Fb", "%C2%85"]) {
      expect(await send("GET", `/sandbox/${provider}/_control/deliveries?accountId=${account}&reference=${reference}`, [secret]), reference).toBe(400);
      expect(await send("GET", `/sandbox/${provider}/_control/transactions/${reference}?accountId=${account}`, [secret]), reference).toBe(400);
    }
    expect(await send("GET", `/sandbox/${provider}/_control/deliveries?accountId=%00&reference=x`, [secret])).toBe(400);
    expect(await send("POST", `/sandbox/${provider}/_control/faults`, [secret, ["content-type", "application/json"]], json({ accountId: `${account}\u0000`, faults: {} }))).toBe(400);
    expect(await send("POST", `/sandbox/${provider}/_control/settings`, [secret, ["content-type", "application/json"]], json({ accountId: account, settings: { webhookUrl: "http://127.0.0.1/\u0000" } }))).toBe(400);
  });

  it("the providers' own APIs, called with the account's keys", async () => {
    const cinetpay = { apikey: demo.cinetpay!.credentials.apiKey, site_id: demo.cinetpay!.publicId };
    const asJson: [string, string][] = [["content-type", "application/json"], ["user-agent", "test"]];
    expect(await send("POST", "/sandbox/cinetpay/v2/payment/check", asJson, json({ ...cinetpay, transaction_id: "CS\u0000" }))).toBe(400);
    expect(await send("POST", "/sandbox/cinetpay/v2/payment/check", asJson, json({ ...cinetpay, token: "tok\u0001en" }))).toBe(400);
    expect(await send("POST", "/sandbox/cinetpay/v2/payment", asJson, json({ ...cinetpay, transaction_id: "CS\u0000", amount: 100, currency: "XOF", description: "x" }))).toBe(400);
    expect(await send("POST", "/sandbox/kkiapay/api/v1/transactions/status", [...kkiapayKeys, ["content-type", "application/json"]], json({ transactionId: "\u0000" }))).toBe(400);
    expect(await send("POST", "/sandbox/kkiapay/api/v1/transactions/revert", [...kkiapayKeys, ["content-type", "application/json"]], json({ transactionId: "tx\u0000" }))).toBe(400);
    // iPay looks the order up before it checks the hash: the keys are not even needed.
    const form: [string, string][] = [["content-type", "application/x-www-form-urlencoded"]];
    expect(await send("POST", "/sandbox/ipay/payments/v2/transaction/search", form, Buffer.from(`oid=%00&vid=${demo.ipay!.publicId}&hash=x`))).toBe(400);
    expect(await send("POST", "/sandbox/ipay/payments/v2/transaction/search", asJson, json({ oid: "CS\u0000", vid: demo.ipay!.publicId, hash: "x" }))).toBe(400);
    const om = demo["orange-money"]!.credentials;
    const basic = Buffer.from(`${om.clientId}:${om.clientSecret}`).toString("base64");
    const token = (await (await fetch(`${world.app.url}/sandbox/orange-money/oauth/v3/token`, { method: "POST", headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" })).json()) as { access_token: string };
    const bearer: [string, string][] = [["authorization", `Bearer ${token.access_token}`], ["content-type", "application/json"]];
    expect(await send("POST", "/sandbox/orange-money/orange-money-webpay/dev/v1/transactionstatus", bearer, json({ order_id: "CS\u0000", amount: 100, pay_token: "x" }))).toBe(400);
  });

  it("the hosted pages and their forms", async () => {
    for (const target of ["/sandbox/cinetpay/payment/%00", "/sandbox/cinetpay/payment/%00/confirm", "/sandbox/orange-money/payment/pay_token/%00", "/sandbox/ipay/v3/ke/session/%00", "/sandbox/ipay/phone/%00", "/sandbox/ipay/phone/%C3%28", "/sandbox/kkiapay/widget?key=%00"]) {
      expect(await send("GET", target), target).toBe(400);
    }
    const form: [string, string][] = [["content-type", "application/x-www-form-urlencoded"]];
    expect(await send("POST", "/sandbox/kkiapay/widget/pay", form, Buffer.from("key=x%00&amount=100"))).toBe(400);
    expect(await send("POST", "/sandbox/ipay/v3/ke", form, Buffer.from(`vid=${demo.ipay!.publicId}&oid=CS%00&hash=x`))).toBe(400);
  });

  it("line breaks inside a JSON document's layout are not values: a pretty-printed body reaches the simulator", async () => {
    const cinetpay = { apikey: demo.cinetpay!.credentials.apiKey, site_id: demo.cinetpay!.publicId, transaction_id: "CSNONE" };
    const pretty = Buffer.from(JSON.stringify(cinetpay, null, 2));
    // CinetPay's own answer for a transaction it does not know.
    expect(await send("POST", "/sandbox/cinetpay/v2/payment/check", [["content-type", "application/json"], ["user-agent", "test"]], pretty)).toBe(404);
  });
});
