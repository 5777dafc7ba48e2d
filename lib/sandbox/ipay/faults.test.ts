import { afterEach, describe, expect, it } from "vitest";
import { TEST_DATABASES } from "@/lib/testing/databases";
import {
  answerPhone,
  chooseOutcome,
  deliveries,
  newOid,
  openCheckout,
  postJson,
  setFaults,
  signedForm,
  signedSearch,
  signedTransact,
  startPush,
  useIpayWorld,
  vendor,
} from "./testing";

const autre = vendor("autre");
const PAID = "aei7p7yrx4ae34";
const PENDING = "bdi6p2yy76etrs";

describe.each(TEST_DATABASES)("iPay simulator faults on $name", ({ open }) => {
  const env = useIpayWorld(open);
  afterEach(() => setFaults(env.world.base, autre, {}));

  const webhook = () => `${env.receiver.url}/api/webhooks/ipay/autre`;
  const search = (oid: string, init?: RequestInit) => postJson(`${env.world.base}/payments/v2/transaction/search`, signedSearch(autre, oid), init);

  /** Pushes and approves on a fresh phone; resolves once the phone answered (callbacks follow in the background). */
  async function paidByPush(phone: string, extra: Record<string, string> = {}) {
    const oid = newOid("F");
    const sid = await startPush(env.world.base, autre, oid, "1250.00", webhook(), phone);
    const before = env.receiver.received.length;
    expect((await answerPhone(env.world.base, phone, sid, "approve", extra)).status).toBe(303);
    return { oid, before };
  }

  it("duplicateNotification: the callback arrives twice, identical", async () => {
    await setFaults(env.world.base, autre, { duplicateNotification: true });
    const { oid, before } = await paidByPush("254712000001");
    const [a, b] = (await env.receiver.waitFor(before + 2)).slice(before);
    expect(a!.query.get("id")).toBe(oid);
    expect(b!.query.toString()).toBe(a!.query.toString());
  });

  it("notificationDelaySeconds: the callback leaves that late", async () => {
    await setFaults(env.world.base, autre, { notificationDelaySeconds: 1 });
    const started = Date.now();
    const { before } = await paidByPush("254712000002");
    expect(env.receiver.received.length).toBe(before);
    await env.receiver.waitFor(before + 1, 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it("dropNotification: nothing is sent, and the delivery is recorded as dropped", async () => {
    await setFaults(env.world.base, autre, { dropNotification: true });
    const dropped = await paidByPush("254712000003");
    await setFaults(env.world.base, autre, {});
    // A later, undisturbed payment is the synchronisation point: its callback comes through alone.
    const control = await paidByPush("254712000004");
    const arrived = (await env.receiver.waitFor(control.before + 1)).slice(dropped.before);
    expect(arrived.map((r) => r.query.get("id"))).toEqual([control.oid]);
    expect(await deliveries(env.world.base, autre, dropped.oid)).toMatchObject([{ error: "dropped (fault)", responseStatus: null }]);
    // The truth is still available to whoever asks.
    expect((await search(dropped.oid)).status).toBe(200);
  });

  it("outOfOrder: the final callback first, then a stale pending one", async () => {
    await setFaults(env.world.base, autre, { outOfOrder: true });
    const { oid, before } = await paidByPush("254712000005");
    const [first, second] = (await env.receiver.waitFor(before + 2)).slice(before);
    expect(first!.query.get("status")).toBe(PAID);
    expect(second!.query.get("status")).toBe(PENDING);
    expect(second!.query.get("id")).toBe(oid);
    expect(second!.query.get("mc")).toBe("0.00");
  });

  it("tamperAmount: the callback claims 1.00, search still tells the truth", async () => {
    await setFaults(env.world.base, autre, { tamperAmount: true });
    const { oid, before } = await paidByPush("254712000006");
    const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
    expect(callback!.query.get("status")).toBe(PAID);
    expect(callback!.query.get("mc")).toBe("1.00");
    expect((await search(oid)).json.data).toMatchObject({ transaction_amount: "1250.00" });
  });

  it("statusAnswerOmits: search answers the record without its amount, or without its currency", async () => {
    const { oid, before } = await paidByPush("254712000016");
    await env.receiver.waitFor(before + 1);
    await setFaults(env.world.base, autre, { statusAnswerOmits: "amount" });
    const noAmount = (await search(oid)).json.data as Record<string, unknown>;
    expect(noAmount).toMatchObject({ currency: "KES" });
    expect(noAmount).not.toHaveProperty("transaction_amount");
    await setFaults(env.world.base, autre, { statusAnswerOmits: "currency" });
    const noCurrency = (await search(oid)).json.data as Record<string, unknown>;
    expect(noCurrency).toMatchObject({ transaction_amount: "1250.00" });
    expect(noCurrency).not.toHaveProperty("currency");
  });

  it("statusApi 5xx and timeout: search and IPN fail that way", async () => {
    const { oid, before } = await paidByPush("254712000007");
    await env.receiver.waitFor(before + 1);
    await setFaults(env.world.base, autre, { statusApi: "5xx" });
    expect((await search(oid)).status).toBe(503);
    expect((await fetch(`${env.world.base}/ipn/?vendor=${autre.vid}&id=${oid}`)).status).toBe(503);
    await setFaults(env.world.base, autre, { statusApi: "timeout" });
    await expect(search(oid, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    await setFaults(env.world.base, autre, {});
    expect((await search(oid)).status).toBe(200);
  });

  it("init 5xx and timeout: /transact and the hosted form fail that way", async () => {
    await setFaults(env.world.base, autre, { init: "5xx" });
    expect((await postJson(`${env.world.base}/payments/v2/transact`, signedTransact(autre, { oid: newOid(), amount: "10.00" }))).status).toBe(503);
    expect((await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "10.00", cbk: webhook() }))).status).toBe(503);
    await setFaults(env.world.base, autre, { init: "timeout" });
    await expect(postJson(`${env.world.base}/payments/v2/transact`, signedTransact(autre, { oid: newOid(), amount: "10.00" }), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it("rateLimitPerMinute: calls past the limit get iPay's envelope with 429", async () => {
    await setFaults(env.world.base, autre, { rateLimitPerMinute: 2 });
    env.world.clock.stoppedAt = new Date();
    try {
      const oid = newOid();
      expect((await search(oid)).status).toBe(404);
      expect((await search(oid)).status).toBe(404);
      expect(await search(oid)).toMatchObject({ status: 429, json: { header_status: 429, status: 0 } });
      expect((await postJson(`${env.world.base}/payments/v2/transact`, signedTransact(autre, { oid: newOid(), amount: "10.00" }))).status).toBe(429);
      // The next minute is a new window.
      env.world.clock.stoppedAt = new Date(env.world.clock.stoppedAt.getTime() + 60_000);
      expect((await search(oid)).status).toBe(404);
    } finally {
      env.world.clock.stoppedAt = undefined;
    }
  });

  it("per-payment faults from the hosted page's advanced panel apply to that payment only", async () => {
    const oid = newOid();
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid, ttl: "100.00", cbk: webhook() }));
    const choice = await chooseOutcome(opened.sessionUrl, { outcome: "paid", fault_tamperAmount: "1", fault_statusApi: "5xx" });
    expect(new URL(choice.headers.get("location")!).searchParams.get("mc")).toBe("1.00");
    expect((await search(oid)).status).toBe(503);
    const other = await paidByPush("254712000008");
    await env.receiver.waitFor(other.before + 1);
    expect((await search(other.oid)).status).toBe(200);
  });

  it("per-payment faults from the phone screen's advanced panel", async () => {
    const { before } = await paidByPush("254712000009", { fault_duplicateNotification: "1" });
    const [a, b] = (await env.receiver.waitFor(before + 2)).slice(before);
    expect(a!.query.toString()).toBe(b!.query.toString());
  });
});
