import { eq, sql } from "drizzle-orm";
import * as s from "@/db/schema";
import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { kkiapayAnswering as answering } from "@/lib/testing/kkiapay-answering";
import { eventsOf, eventually, newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { refreshPayment } from "../refresh";
import { startPayment } from "../start";

/**
 * Issue 12 item 4: the check's bookkeeping used to clear next_check_at before the transition
 * ran, so a transition that threw (or a process that died in between) left the payment undecided
 * and never checked again. A fractional KKiaPay fee (the schema read 28.5; the bigint column
 * refused it) did that deterministically.
 */
describe.each(TEST_DATABASES)("no payment is stranded, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  const kkiapayAnswering = (verify: (transactionId: string) => Record<string, unknown>) => answering(world.app.deps(), verify);

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    return { order, ...started };
  }

  it("a fractional fee is rounded by rule and noted; the payment is paid", async () => {
    const p = await kkiapayPayment();
    const { host, deps } = await kkiapayAnswering((transactionId) => ({
      status: "SUCCESS", transactionId, amount: p.order.amountMinor, fees: 28.5, state: p.reference, performed_at: new Date().toISOString(),
    }));
    try {
      const outcome = await refreshPayment(deps, p.paymentId, "test", { evidence: { providerReference: "KKP-FRACTION-1", authenticated: true } });
      expect(outcome).toMatchObject({ status: "paid", changed: true });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", feeReportedMinor: 29, netMinor: p.order.amountMinor - 29, nextCheckAt: null });
      const check = (await eventsOf(world.database, p.paymentId)).find((e) => e.type === "status_check" && e.data.adjusted);
      expect(check?.data.adjusted).toEqual({ fee: { reported: 28.5, kept: 29 } });
    } finally {
      await host.close();
    }
  });

  it("a transition that fails leaves the payment scheduled for another check", async () => {
    const p = await kkiapayPayment();
    const { host, deps } = await kkiapayAnswering((transactionId) => ({ status: "SUCCESS", transactionId, amount: p.order.amountMinor, fees: 10, state: p.reference }));
    // The transition statement fails once (a lost connection, a deploy) after the check was recorded.
    await world.database.db.execute(sql.raw(`create function test_fail_paid() returns trigger language plpgsql as $$
      begin if new.status = 'paid' and new.id = '${p.paymentId}' then raise exception 'injected failure'; end if; return new; end $$`));
    await world.database.db.execute(sql.raw(`create trigger test_fail_paid before update on payments for each row execute function test_fail_paid()`));
    try {
      await expect(refreshPayment(deps, p.paymentId, "test", { evidence: { providerReference: "KKP-FAIL-1", authenticated: true } })).rejects.toThrow();
      const row = await paymentRow(world.database, p.paymentId);
      expect(row.status).toBe("pending");
      expect(row.nextCheckAt).not.toBeNull();
      expect(row.providerReference).toBe("KKP-FAIL-1"); // the signed id is kept for that next check
    } finally {
      await world.database.db.execute(sql.raw(`drop trigger test_fail_paid on payments`));
      await world.database.db.execute(sql.raw(`drop function test_fail_paid()`));
      await host.close();
    }
    const healed = await kkiapayAnswering((transactionId) => ({ status: "SUCCESS", transactionId, amount: p.order.amountMinor, fees: 10, state: p.reference }));
    try {
      expect(await refreshPayment(healed.deps, p.paymentId, "reconciliation")).toMatchObject({ status: "paid", changed: true });
    } finally {
      await healed.host.close();
    }
  });

  it("a payment is scheduled for a check from the moment it exists, before the provider has answered", async () => {
    const cinetpay = seededCredentials("demo", "cinetpay");
    const control = (faults: Record<string, string>) => sandboxControl(world.app.url, "cinetpay", cinetpay.siteId!, cinetpay.secretKey!, "faults", { faults });
    await control({ init: "timeout" });
    try {
      const order = await newOrder(world.database, "demo", 2);
      const deps = { ...world.app.deps(), timeouts: { initMs: 1_500, statusMs: 1_000 } };
      const starting = startPayment(deps, { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" }).catch((e: unknown) => e);
      // While the provider call hangs (the process could die right here), the row is already scheduled.
      const [inFlight] = await eventually(
        () => world.database.db.select().from(s.payments).where(eq(s.payments.orderId, order.id)),
        (rows) => rows.length === 1,
      );
      expect(inFlight).toMatchObject({ status: "created" });
      expect(inFlight!.nextCheckAt).not.toBeNull();
      expect(await starting).toMatchObject({ code: expect.any(String) });
    } finally {
      await control({});
    }
  });
});
