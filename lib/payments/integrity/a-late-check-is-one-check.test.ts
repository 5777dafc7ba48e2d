import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { CLAIM_LEASE_MS, sweep } from "../reconcile";
import { startPayment } from "../start";

const ORANGE = seededCredentials("demo", "orange-money");

/**
 * Review 2 of issue 12 (the late checks of 94ce632). An attempt we closed ourselves keeps ONE late
 * check (late-checks.ts). When that check cannot be answered, refreshPayment's error path keeps
 * `nextCheckAt: row.nextCheckAt` for a final row: the row it read after reconciliation claimed it,
 * so the claim's lease (60 s). The "one" late check is then claimed again every minute, forever,
 * each time taking a unit of the account's status budget and writing a status_check event.
 *
 * Orange's initialization answering 5xx (retryable, so the payment keeps a late check) leaves a
 * payment with no pay_token: Orange's status can never be asked about it (missing_pay_token, not
 * retryable). An Orange outage at checkout leaves one such perpetual check per attempt.
 */
describe.each(TEST_DATABASES)("a late check that cannot be answered, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "orange-money", ORANGE.merchantKey!, ORANGE.clientSecret!, "faults", body);

  it("Orange's initialization answered 5xx: the late check is made once, not every minute forever", async () => {
    const order = await newOrder(world.database, "demo", 1);
    await control({ faults: { init: "5xx" } });
    try {
      await expect(startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" })).rejects.toMatchObject({ code: "provider_unavailable" });
    } finally {
      await control({ faults: {} });
    }
    const [failed] = await world.database.db.select().from(s.payments).where(eq(s.payments.orderId, order.id));
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.nextCheckAt).not.toBeNull(); // the one late check

    // Reconciliation runs every 15 s; here once the late check is due, then each minute after.
    const due = failed!.nextCheckAt!.getTime();
    const checked: number[] = [];
    for (let minute = 0; minute < 4; minute++) {
      const at = due + 1_000 + minute * (CLAIM_LEASE_MS + 1_000);
      const result = await sweep({ ...world.app.deps(), now: () => new Date(at) });
      if (result.payments.includes(failed!.id)) checked.push(minute);
    }
    const checks = (await eventsOf(world.database, failed!.id)).filter((e) => e.type === "status_check");
    // Today: checked at every sweep (0, 1, 2, 3), each one a status_check event with
    // missing_pay_token, and the payment is due again a minute later.
    expect(checked).toEqual([0]);
    expect(checks).toHaveLength(1);
    expect((await paymentRow(world.database, failed!.id)).nextCheckAt).toBeNull();
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
