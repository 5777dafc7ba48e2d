import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { confirmOnPhone, payInWidget } from "@/lib/testing/kkiapay-widget";
import { newOrder, paymentRow, seededCredentials } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { handleReturn } from "../returns";
import { startPayment } from "../start";

const AUTRE = seededCredentials("autre", "kkiapay");

/**
 * Review 3 of issue 12 (the URL candidates and refused ids of a89a616). A KKiaPay payment is bound
 * to its own transaction while the shopper's prompt is still pending on the phone; the shopper then
 * approves it, and KKiaPay's webhook is lost (it is optional): only a status check about that
 * transaction can land the money. But every check asks about a transaction id a return URL named
 * instead of the payment's own, whenever one is presented or kept (`evidence ?? keptCandidates[0]`),
 * and anyone holding the order's URL can name one:
 *  - an id KKiaPay refuses as another account's (INVALID_TRANSACTION, not retryable) is kept again
 *    on the error path "for the next check", so every later check asks about it, for ever: the
 *    payment stays pending and its own paid transaction is never asked about;
 *  - a made-up id after the window expires the payment without asking about its own transaction
 *    (refuseBinding), and one more, kept while the return is throttled, spends its late check.
 */
describe.each(TEST_DATABASES)("a payment's own transaction and the ids a URL names, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  /** A demo KKiaPay payment bound to its own transaction, pending on the shopper's phone; the webhook will be lost. */
  async function boundWhilePending() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    const own = await payInWidget(world.app.url, config, { outcome: "pending", fault_dropNotification: "1" });
    const res = await fetch(`${world.app.url}/orders/${order.id}/return?p=${started.paymentId}&transaction_id=${own.transactionId}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "pending", providerReference: own.transactionId });
    return { order, config, paymentId: started.paymentId, own: own.transactionId };
  }

  const sweepAt = (at: number) => sweep({ ...world.app.deps(), now: () => new Date(at) });

  it("another KKiaPay account's transaction id on the URL: reconciliation still asks about the payment's own, which was paid", async () => {
    const p = await boundWhilePending();
    // Someone with the URL names a transaction of another KKiaPay account (their own shop's), within
    // the return's 10 s throttle: it is kept for the next check.
    const theirs = await payInWidget(world.app.url, { ...p.config, key: AUTRE.publicKey, data: undefined }, { outcome: "success", fault_dropNotification: "1" });
    const res = await fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&transaction_id=${theirs.transactionId}`, { redirect: "manual" });
    expect(res.status).toBe(303);

    await confirmOnPhone(world.app.url, p.own, "success");

    // Up to three checks, each when due. Today each asks about the foreign id, KKiaPay answers 403, and it is kept again.
    let at = Date.now();
    for (let i = 0; i < 3; i++) {
      const due = (await paymentRow(world.database, p.paymentId)).nextCheckAt;
      if (!due) break;
      at = Math.max(at, due.getTime()) + 1_000;
      await sweepAt(at);
    }
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: p.own });
  });

  it("made-up ids after the window: the payment is not expired without asking about its own transaction, and keeps its late check", async () => {
    const p = await boundWhilePending();
    await confirmOnPhone(world.app.url, p.own, "success");
    const { expiresAt } = await paymentRow(world.database, p.paymentId);
    const after = expiresAt!.getTime() + 5 * 60_000;
    const returnAt = (at: number, id: string) => handleReturn({ ...world.app.deps(), now: () => new Date(at) }, p.order.id, p.paymentId, { candidateProviderReference: id });

    await returnAt(after, "made-up-1");
    // Today: expired on the refusal of made-up-1, its own (paid) transaction never asked.
    await returnAt(after + 1_000, "made-up-2"); // throttled: kept
    const row = await paymentRow(world.database, p.paymentId);
    if (row.status !== "paid") {
      // The late check, when due. Today it asks about made-up-2 and is spent on it.
      await sweepAt(row.nextCheckAt!.getTime() + 1_000);
    }
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: p.own });
  });

  it("failed transactions naming the payment's reference, from the URL: its late check still asks about its own transaction", async () => {
    const p = await boundWhilePending();
    const { expiresAt } = await paymentRow(world.database, p.paymentId);
    // After the window, reconciliation expires it (its own transaction is still pending) and keeps a late check.
    await sweepAt(expiresAt!.getTime() + 5 * 60_000);
    const expired = await paymentRow(world.database, p.paymentId);
    expect(expired.status).toBe("expired");
    await confirmOnPhone(world.app.url, p.own, "success");

    // Anyone holding the checkout's widget config (public key, reference) makes failed transactions
    // that name the payment's reference, and names them on the return URL: one asked, one kept.
    const returnAt = (at: number, id: string) => handleReturn({ ...world.app.deps(), now: () => new Date(at) }, p.order.id, p.paymentId, { candidateProviderReference: id });
    for (const at of [expired.lastCheckedAt!.getTime() + 11_000, expired.lastCheckedAt!.getTime() + 12_000]) {
      const failed = await payInWidget(world.app.url, p.config, { outcome: "failed", fault_dropNotification: "1" });
      await returnAt(at, failed.transactionId);
    }
    const row = await paymentRow(world.database, p.paymentId);
    // Today the late check asks about the kept failed transaction and is spent on it.
    if (row.nextCheckAt) await sweepAt(row.nextCheckAt.getTime() + 1_000);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: p.own });
  });

  it("ledger:check holds after these flows", async () => {
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
