import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { newId } from "@/lib/ids";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, paymentRow, statusOf } from "@/lib/testing/payments";
import { followPendingRefunds, refundPayment } from "../refunds";
import { startPayment } from "../start";



/**
 * Issue 12 item 6: a refund read what was refunded, called the provider, then inserted the
 * refund, with no lock: two submits both reached the provider, a call that timed out recorded
 * nothing (so the merchant clicked again), and pending refunds were never followed.
 */
describe.each(TEST_DATABASES)("a refund happens at most once and never beyond what was collected, on $name", ({ name, open }) => {
  const world = usePaymentsWorld(open);

  async function paidKkiapay() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    await payInWidget(world.app.url, (started.action as { config: Record<string, unknown> }).config, { outcome: "success" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "paid");
    return { order, ...started };
  }

  /** Counts the revert calls that reach KKiaPay (the sandbox), passing them through. */
  function countingFetch() {
    const calls: string[] = [];
    const counted: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes("/transactions/revert")) calls.push(url);
      return fetch(input, init);
    };
    return { calls, deps: { ...world.app.deps(), fetch: counted } };
  }

  const refundsOf = (paymentId: string) => world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, paymentId));

  it("the same form submitted twice refunds once", async () => {
    const p = await paidKkiapay();
    const { calls, deps } = countingFetch();
    const req = { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "retour", userId: null, idempotencyKey: newId("rfi") };
    const first = await refundPayment(deps, req);
    const second = await refundPayment(deps, req);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ kind: "api", refundStatus: "succeeded", status: "refunded" });
    expect(calls).toHaveLength(1);
    expect(await refundsOf(p.paymentId)).toHaveLength(1);
  });

  it("two owners refunding at the same moment: one refund, one provider call", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const p = await paidKkiapay();
    const { calls, deps } = countingFetch();
    const req = (key: string) => ({ merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "double clic", userId: null, idempotencyKey: key });
    const results = await Promise.allSettled([refundPayment(deps, req(newId("rfi"))), refundPayment(deps, req(newId("rfi")))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "refund_amount_invalid" } });
    expect(calls).toHaveLength(1);
    expect((await refundsOf(p.paymentId)).map((r) => r.status)).toEqual(["succeeded"]);
  });

  it("a provider that times out leaves a pending refund, which the follow-up settles once", async () => {
    const p = await paidKkiapay();
    // KKiaPay's revert that never answers in time.
    const silent = await startHost(() => new Promise<Response>(() => {}));
    const base = world.app.deps();
    const stalled = { ...base, timeouts: { initMs: 300, statusMs: 300 }, urlsFor: (provider: Parameters<typeof base.urlsFor>[0], mode: Parameters<typeof base.urlsFor>[1]) => ({ ...base.urlsFor(provider, mode), api: silent.url }) };
    try {
      const result = await refundPayment(stalled, { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "retour", userId: null, idempotencyKey: newId("rfi") });
      expect(result).toMatchObject({ kind: "api", refundStatus: "pending", status: "paid" });
    } finally {
      await silent.close();
    }
    // The merchant clicks again (a new form): refused, the pending refund already holds the amount.
    await expect(refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "retour", userId: null })).rejects.toMatchObject({ code: "refund_amount_invalid" });
    const [pending] = await refundsOf(p.paymentId);
    expect(pending).toMatchObject({ status: "pending" });
    // Reconciliation follows it when due: the revert never arrived, so it is sent now, once.
    const later = { ...world.app.deps(), now: () => new Date(pending!.nextCheckAt!.getTime() + 1_000) };
    expect(await followPendingRefunds(later)).toBe(1);
    expect((await refundsOf(p.paymentId)).map((r) => r.status)).toEqual(["succeeded"]);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("refunded");
    expect(await followPendingRefunds(later)).toBe(0);
  });

  it("the database refuses refunds beyond the collected amount", async () => {
    const p = await paidKkiapay();
    const row = { paymentId: p.paymentId, merchantId: p.order.merchantId, kind: "manual" as const, status: "succeeded" as const, currency: "XOF" };
    await world.database.db.insert(s.refunds).values({ ...row, id: newId("rfd"), amountMinor: p.order.amountMinor - 100 });
    await expect(world.database.db.insert(s.refunds).values({ ...row, id: newId("rfd"), amountMinor: 101 })).rejects.toThrow();
    await world.database.db.insert(s.refunds).values({ ...row, id: newId("rfd"), amountMinor: 100 });
    expect((await refundsOf(p.paymentId)).reduce((sum, r) => sum + r.amountMinor, 0)).toBe(p.order.amountMinor);
  });
});

