import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { newOrder, paymentRow, submitForm } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { handleReturn } from "../returns";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (the late checks of 94ce632). A shopper's cancel keeps one late check,
 * after Orange's window, for the money Orange's one (never retried) notification may not bring.
 * But any earlier look at the closed payment spends it: applyStatus writes
 * `nextCheckAt: isFinal(row.status) ? null : …` whatever the answer, and handleReturn asks about a
 * closed payment precisely while its late check is pending. A hesitant shopper who comes back
 * through the cancel link a second time (more than 10 s later) gets Orange's INITIATED, which
 * changes nothing, and the late check is gone; the merchant's "check again" button does the same.
 */
describe.each(TEST_DATABASES)("the late check of a cancelled attempt and an early look, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("Orange: cancel, cancel again 11 s later, then pay after all with the notification lost: the late check still pays it", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    const pageUrl = (started.action as { url: string }).url;
    const cancel = await fetch(`${pageUrl}/cancel`, { redirect: "manual" });
    await fetch(cancel.headers.get("location")!, { redirect: "manual" });
    const cancelled = await paymentRow(world.database, started.paymentId);
    expect(cancelled.status).toBe("cancelled");
    const lateCheck = cancelled.nextCheckAt!;
    expect(lateCheck.getTime()).toBeGreaterThan(cancelled.expiresAt!.getTime());

    // The shopper goes back to Orange's page and presses cancel once more, 11 s later (past the
    // return's 10 s throttle): Orange still says INITIATED.
    await handleReturn({ ...world.app.deps(), now: () => new Date(Date.now() + 11_000) }, order.id, started.paymentId, { cancelled: true });
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("cancelled");

    // Then pays on Orange's page after all, and closes the tab; Orange's notification is lost.
    const paid = await submitForm(pageUrl, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS", fault_dropNotification: "1" });
    expect(paid.status).toBe(303);

    // The late check, when it was due. Today the second look cleared it: nothing is claimed.
    const swept = await sweep({ ...world.app.deps(), now: () => new Date(lateCheck.getTime() + 1_000) });
    expect(swept.payments).toContain(started.paymentId);
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("paid");
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
