import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { newOrder, paymentRow, submitForm } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

/**
 * Review of issue 12 item 3. A shopper's cancel on Orange's page (the transaction still
 * INITIATED) makes the payment `cancelled`, a final status, with next_check_at cleared. Orange's
 * pay_token stays usable for its window, and "money confirmed late still lands" only through
 * Orange's notification, which Orange never retries. The shopper's own return after paying skips
 * final payments (handleReturn: `if (isFinal(row.status)) continue`), and reconciliation only
 * claims undecided payments: nothing else ever asks Orange again.
 */
describe.each(TEST_DATABASES)("review: a cancelled attempt paid later, its notification lost, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("Orange: cancel link, then the shopper confirms with the same pay_token; the notification is lost", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    const pageUrl = (started.action as { url: string }).url;
    const cancel = await fetch(`${pageUrl}/cancel`, { redirect: "manual" });
    await fetch(cancel.headers.get("location")!, { redirect: "manual" });
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "cancelled", nextCheckAt: null });

    // Back on Orange's page (browser back), the shopper confirms after all; Orange's one
    // notification does not reach us (Orange never retries it).
    const paid = await submitForm(pageUrl, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS", fault_dropNotification: "1" });
    expect(paid.status).toBe(303);
    // Orange sends the shopper back to our return URL: a status check would see SUCCESS…
    const back = await fetch(paid.headers.get("location")!, { redirect: "manual" });
    expect(back.status).toBe(303);
    // …and reconciliation runs, later.
    await sweep({ ...world.app.deps(), now: () => new Date(Date.now() + 5 * 60_000) });

    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("paid");
  });
});
