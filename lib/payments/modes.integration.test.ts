import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import { startHost, type Host } from "@/lib/testing/http-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventsOf, newOrder, paymentRow, seededCredentials } from "@/lib/testing/payments";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { findSandboxAccount } from "@/lib/sandbox/accounts";
import type { PaymentDeps } from "./accounts";
import { sweep } from "./reconcile";
import { startPayment } from "./start";

/**
 * A payment is asked about in the mode it was made in, with that mode's credentials: an account
 * switched from sandbox to live keeps its sandbox set for the payments made before the switch.
 * Live points at a recording stand-in for CinetPay's API (a second host), sandbox at the
 * simulators; every provider call goes through a counting fetch.
 */
const LIVE = { apiKey: "live_cp_apikey_7c21", siteId: "990011", secretKey: "live_cp_secret_e5a0" };

type Call = { url: string; body: Record<string, unknown> };

function liveCinetpay(received: Call[]) {
  return startHost(async (req) => {
    const body = (await req.json()) as Record<string, unknown>;
    received.push({ url: req.url, body });
    const path = new URL(req.url).pathname;
    if (path === "/v2/payment") return Response.json({ code: "201", message: "CREATED", data: { payment_token: `tok_${String(body.transaction_id)}`, payment_url: "https://checkout.cinetpay.example/pay" } });
    if (path === "/v2/payment/check") return Response.json({ code: "662", message: "WAITING_CUSTOMER_PAYMENT", data: { status: "PENDING", amount: "3000", currency: "XOF" } });
    return new Response("Not Found", { status: 404 });
  });
}

describe.each(TEST_DATABASES)("payments keep the credentials of their mode on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const calls: Call[] = [];
  const liveReceived: Call[] = [];
  let live: Host;
  let owner: MerchantContext;

  beforeAll(async () => {
    live = await liveCinetpay(liveReceived);
    const user = await checkCredentials(world.database.db, { email: "owner@demo.test", password: "demo-password" });
    owner = (await loadMerchantContext(world.database.db, user!.id))!;
  });
  afterAll(() => live?.close());

  const counting: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), body: JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown> });
    return fetch(input, init);
  };
  const deps = (): PaymentDeps => {
    const app = world.app.deps();
    return { ...app, fetch: counting, urlsFor: (provider, mode) => (mode === "live" ? { api: live.url } : app.urlsFor(provider, mode)) };
  };
  const start = async () => {
    const order = await newOrder(world.database, "demo", 2);
    return (await startPayment(deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" })).paymentId;
  };
  const form = { provider: "cinetpay", enabled: "on", feeRate: "3,5", feeFixed: "0", settlementDelayDays: "2" };
  const sandbox = seededCredentials("demo", "cinetpay");

  /** Reconciliation: one sweep, which claims what is due and rechecks each claimed payment. */
  async function reconcile(ids: string[]) {
    await world.database.db.update(s.payments).set({ nextCheckAt: new Date(Date.now() - 1000) }).where(inArray(s.payments.id, ids));
    const swept = await sweep(deps());
    expect([...swept.payments].sort()).toEqual([...ids].sort());
    expect(swept.failed).toBe(0);
  }

  it("rechecks a sandbox payment at the simulator with the sandbox keys after the switch to live, and a live one at live with the live keys", async () => {
    const before = await start();
    expect(await paymentRow(world.database, before)).toMatchObject({ mode: "sandbox", status: "pending" });

    const switched = await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, {
      ...form,
      mode: "live",
      live_cred_apiKey: LIVE.apiKey,
      live_cred_siteId: LIVE.siteId,
      live_cred_secretKey: LIVE.secretKey,
    });
    expect(switched).toEqual({ ok: true });
    // The simulator still knows the account by its sandbox id, never by its live one.
    const simulator = { db: world.database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin: world.app.url };
    expect(await findSandboxAccount(simulator, "cinetpay", sandbox.siteId!)).toMatchObject({ merchantId: owner.merchant.id, publicId: sandbox.siteId });
    expect(await findSandboxAccount(simulator, "cinetpay", LIVE.siteId)).toBeNull();

    const after = await start();
    const afterRow = await paymentRow(world.database, after);
    expect(afterRow).toMatchObject({ mode: "live", status: "pending" });
    expect(liveReceived.map((c) => [new URL(c.url).pathname, c.body.apikey, c.body.site_id, c.body.transaction_id])).toEqual([
      ["/v2/payment", LIVE.apiKey, LIVE.siteId, afterRow.reference],
    ]);

    calls.length = 0;
    liveReceived.length = 0;
    const beforeRow = await paymentRow(world.database, before);
    await reconcile([before, after]);

    // The payment made before the switch: the simulator, the sandbox keys, and nothing at live.
    const aboutBefore = calls.filter((c) => c.body.transaction_id === beforeRow.reference);
    expect(aboutBefore.map((c) => [c.url, c.body.apikey, c.body.site_id])).toEqual([
      [`${world.app.url}/sandbox/cinetpay/v2/payment/check`, sandbox.apiKey, sandbox.siteId],
    ]);
    expect(liveReceived.filter((c) => c.body.transaction_id === beforeRow.reference)).toEqual([]);
    // The simulator knew the transaction and answered: no failed check was recorded.
    const checks = (await eventsOf(world.database, before)).filter((e) => e.type === "status_check" && e.actor === "reconciliation");
    expect(checks).toHaveLength(1);
    expect(checks[0]!.data).not.toHaveProperty("error");

    // The payment made after it: live, with the live keys, never the simulator.
    expect(liveReceived.map((c) => [new URL(c.url).pathname, c.body.apikey, c.body.site_id, c.body.transaction_id])).toEqual([
      ["/v2/payment/check", LIVE.apiKey, LIVE.siteId, afterRow.reference],
    ]);
    expect(calls.filter((c) => c.url.startsWith(world.app.url))).toEqual(aboutBefore);
  });

  it("fails a payment whose mode's credentials are gone with a clear error, without calling anyone", async () => {
    const before = (
      await world.database.db
        .select({ id: s.payments.id })
        .from(s.payments)
        .where(and(eq(s.payments.provider, "cinetpay"), eq(s.payments.mode, "sandbox"), inArray(s.payments.status, ["pending", "waiting_for_customer"])))
    ).map((p) => p.id);
    expect(before).toHaveLength(1);
    // The owner, now live, deletes the sandbox keys.
    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", sandbox_forget: "on" })).toEqual({ ok: true });
    const live = (await world.database.db.select({ id: s.payments.id }).from(s.payments).where(and(eq(s.payments.mode, "live"), eq(s.payments.status, "pending")))).map((p) => p.id);

    calls.length = 0;
    liveReceived.length = 0;
    await reconcile([...before, ...live]);
    const reference = (await paymentRow(world.database, before[0]!)).reference;
    expect(calls.filter((c) => c.body.transaction_id === reference)).toEqual([]);
    expect(liveReceived.filter((c) => c.body.transaction_id === reference)).toEqual([]);
    // The failed check is on the payment's record, for a person to see; the live payment carried on.
    const last = (await eventsOf(world.database, before[0]!)).filter((e) => e.type === "status_check").at(-1);
    expect(last!.data).toMatchObject({ error: "credentials_missing" });
    expect(liveReceived).toHaveLength(1);
  });
});
