import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { keptCandidates } from "../candidates";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Review 2 of issue 12 (the URL candidates of 94ce632). A transaction id a KKiaPay return URL
 * names, when it cannot be asked about at once (status API down, or the return throttled), is kept
 * in payments.stored (now candidates.ts) "for the next check". Three ways it is not:
 *  - the next check reads it only while the payment is bound to no transaction
 *    (`!row.providerReference ? storedCandidate(row) : undefined`), so a second transaction of a
 *    payment whose first prompt is pending is kept and never asked about;
 *  - there is one slot: any later id the URL names (throttled) replaces it, a made-up one too;
 *  - a kept id the provider's answer does not bind is never dropped: refuseBinding leaves the
 *    candidate and the schedule as they are, so every check asks about it again, is refused
 *    before applyStatus (the window's expiry is never applied), and the claim's lease brings it
 *    back a minute later, forever.
 * In each case KKiaPay's webhook is lost (it is optional, configured by the merchant).
 */
describe.each(TEST_DATABASES)("transaction ids kept from a return URL, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "kkiapay", DEMO.publicKey!, DEMO.privateKey!, "faults", body);

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    return { order, ...started, config: (started.action as { config: Record<string, unknown> }).config };
  }

  const back = async (p: { order: { id: string }; paymentId: string }, query = "") => {
    const res = await fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}${query ? `&${query}` : ""}`, { redirect: "manual" });
    expect(res.status).toBe(303);
  };

  const sweepAt = (at: number) => sweep({ ...world.app.deps(), now: () => new Date(at) });

  it("the first prompt pending, the shopper pays again at once: the paid transaction kept from the URL is asked about", async () => {
    const p = await kkiapayPayment();
    const first = await payInWidget(world.app.url, p.config, { outcome: "pending" });
    await back(p, `transaction_id=${first.transactionId}&cancelled=1`);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: first.transactionId });

    // The shopper pays in the widget again a few seconds later; the webhook is lost, the return
    // comes within the 10 s throttle: its id is kept…
    const second = await payInWidget(world.app.url, p.config, { outcome: "success", fault_dropNotification: "1" });
    await back(p, `transaction_id=${second.transactionId}`);
    expect(keptCandidates(await paymentRow(world.database, p.paymentId))).toEqual([second.transactionId]);

    // …and the next check asks about the first (still pending) transaction only.
    await sweepAt((await paymentRow(world.database, p.paymentId)).nextCheckAt!.getTime() + 1_000);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: second.transactionId });
  });

  it("paid, status API down during the return, then a made-up id on the same URL: the paid transaction is still asked about", async () => {
    const p = await kkiapayPayment();
    const paid = await payInWidget(world.app.url, p.config, { outcome: "success", fault_dropNotification: "1" });
    await control({ faults: { statusApi: "5xx" } });
    try {
      await back(p, `transaction_id=${paid.transactionId}`);
    } finally {
      await control({ faults: {} });
    }
    expect(keptCandidates(await paymentRow(world.database, p.paymentId))).toEqual([paid.transactionId]);
    // Anyone holding the URL (a stale tab, a shared link, a script) within the next 10 s.
    await back(p, "transaction_id=made-up-1234");

    await sweepAt((await paymentRow(world.database, p.paymentId)).nextCheckAt!.getTime() + 1_000);
    // Today the made-up id replaced the paid one and is the only thing ever asked about.
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: paid.transactionId });
  });

  it("a made-up id kept from the URL does not keep a payment open past its window, checked every minute", async () => {
    const p = await kkiapayPayment();
    await back(p); // the shopper's browser comes back once: one check (nothing to ask KKiaPay yet)
    await back(p, "transaction_id=made-up-5678"); // within 10 s: kept for the next check
    const { expiresAt } = await paymentRow(world.database, p.paymentId);

    // Long after the widget's window, reconciliation on three sweeps a minute apart.
    const late = expiresAt!.getTime() + 60 * 60_000;
    const checked: number[] = [];
    for (let minute = 0; minute < 3; minute++) {
      if ((await sweepAt(late + minute * 61_000)).payments.includes(p.paymentId)) checked.push(minute);
    }
    // Today: still pending, refused (unclaimed_not_collected) at every sweep.
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("expired");
    expect(checked).toEqual([0]);
  });

  it("ledger:check holds after these flows", async () => {
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
