import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { eventually, newOrder, paymentRow } from "@/lib/testing/payments";
import { refreshPayment } from "../refresh";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (every transaction of a payment counts, 94ce632). refreshPayment decides
 * between "replace the bound transaction" and "record a second collection" on the row it read
 * before asking KKiaPay (`COLLECTED.includes(row.status)`), and records a second collection by
 * inserting a row before anything stops a second insert for the same transaction. Answers that
 * cross (a webhook and the shopper's return, or the webhooks of two transactions, arriving
 * together: the two-tabs case itself) then:
 *  - drop the money of a second paid transaction when the first one's answer paid the payment
 *    after the row was read (applyStatus → applyTransition paid→paid not allowed → "ignored");
 *  - leave a stray `created` payment when the same second transaction is asked about twice at
 *    once (two rows inserted; the one that loses the unique index stays undecided, for good).
 * KKiaPay's status API here answers what a test says, each answer held until the test lets it go.
 */
describe.each(TEST_DATABASES)("answers about two transactions of one payment that cross, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  type Gate = { arrived: number; open: () => void; opened: Promise<void> };
  function gate(): Gate {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { arrived: 0, open, opened };
  }

  /** KKiaPay answering `status(transactionId)` for a payment of `reference`, each transaction's answer held by its gate, if any. */
  async function kkiapay(p: { reference: string; amountMinor: number }, status: (transactionId: string) => string, gates: Record<string, Gate>) {
    const performedAt = new Date(Date.now() + 1_000).toISOString();
    const host = await startHost(async (req) => {
      const { transactionId } = (await req.json()) as { transactionId: string };
      const held = gates[transactionId];
      if (held) {
        held.arrived += 1;
        await held.opened;
      }
      return Response.json({ transactionId, status: status(transactionId), amount: p.amountMinor, fees: 19, state: p.reference, performed_at: performedAt, source: "MOBILE_MONEY", source_common_name: "mtn-benin" });
    });
    const base = world.app.deps();
    const deps: PaymentDeps = { ...base, urlsFor: (provider, mode) => ({ ...base.urlsFor(provider, mode), api: host.url }) };
    return { host, deps };
  }

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    return { order, ...started, amountMinor: order.amountMinor };
  }

  const paymentsOf = (orderId: string) => world.database.db.select().from(s.payments).where(eq(s.payments.orderId, orderId));

  it("the first prompt is approved and a second transaction paid: both answers at once, both collections recorded", async () => {
    const p = await kkiapayPayment();
    let firstApproved = false;
    const gates: Record<string, Gate> = {};
    const { host, deps } = await kkiapay(p, (id) => (id === "T-FIRST" && !firstApproved ? "PENDING" : "SUCCESS"), gates);
    try {
      // The first prompt, pending, is bound by the shopper's return.
      await refreshPayment(deps, p.paymentId, "return", { evidence: { providerReference: "T-FIRST", authenticated: false } });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: "T-FIRST" });

      // The shopper approves the first prompt and also pays in the widget again: two webhooks at once.
      firstApproved = true;
      Object.assign(gates, { "T-FIRST": gate(), "T-SECOND": gate() });
      const first = refreshPayment(deps, p.paymentId, "notification", { evidence: { providerReference: "T-FIRST", authenticated: true } });
      const second = refreshPayment(deps, p.paymentId, "notification", { evidence: { providerReference: "T-SECOND", authenticated: true } });
      await eventually(async () => gates["T-FIRST"]!.arrived + gates["T-SECOND"]!.arrived, (n) => n === 2);
      gates["T-FIRST"]!.open();
      await first;
      gates["T-SECOND"]!.open();
      await second;
    } finally {
      for (const held of Object.values(gates)) held.open();
      await host.close();
    }
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: "T-FIRST" });
    // KKiaPay collected both. Today T-SECOND's answer was "ignored" (the row it read was pending):
    // no payment holds it, no flag, nothing to refund from.
    const holding = (await paymentsOf(p.order.id)).filter((row) => row.providerReference === "T-SECOND");
    expect(holding).toMatchObject([{ status: "paid", flag: "double_payment" }]);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });

  it("a collected payment's second transaction, its webhook and the shopper's return at once: one payment for it, none left undecided", async () => {
    const p = await kkiapayPayment();
    const gates = { "T-TWO": gate() };
    const { host, deps } = await kkiapay(p, () => "SUCCESS", gates);
    try {
      await refreshPayment(deps, p.paymentId, "notification", { evidence: { providerReference: "T-ONE", authenticated: true } });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: "T-ONE" });

      const webhook = refreshPayment(deps, p.paymentId, "notification", { evidence: { providerReference: "T-TWO", authenticated: true } });
      const back = refreshPayment(deps, p.paymentId, "return", { evidence: { providerReference: "T-TWO", authenticated: false } });
      await eventually(async () => gates["T-TWO"].arrived, (n) => n === 2);
      gates["T-TWO"].open();
      await Promise.all([webhook, back]);
    } finally {
      gates["T-TWO"].open();
      await host.close();
    }
    const rows = await paymentsOf(p.order.id);
    expect(rows.filter((row) => row.providerReference === "T-TWO" && row.status === "paid")).toHaveLength(1);
    // Today a second row for T-TWO stays `created` on the paid order, checked for ever.
    expect(rows.filter((row) => ["created", "pending", "waiting_for_customer"].includes(row.status))).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
