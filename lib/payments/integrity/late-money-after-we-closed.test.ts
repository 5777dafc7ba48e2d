import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { newOrder, paymentRow, sandboxControl, seededCredentials, submitForm } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

/**
 * Issue 12 (found in review) item 3. A shopper's cancel on Orange's page (the transaction still
 * INITIATED) makes the payment `cancelled`, a final status, with next_check_at cleared. Orange's
 * pay_token stays usable for its window, and "money confirmed late still lands" only through
 * Orange's notification, which Orange never retries. The shopper's own return after paying skips
 * final payments (handleReturn: `if (isFinal(row.status)) continue`), and reconciliation only
 * claims undecided payments: nothing else ever asks Orange again.
 */
describe.each(TEST_DATABASES)("a cancelled attempt paid later, its notification lost, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("Orange: cancel link, then the shopper confirms with the same pay_token; the notification is lost", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    const pageUrl = (started.action as { url: string }).url;
    const cancel = await fetch(`${pageUrl}/cancel`, { redirect: "manual" });
    await fetch(cancel.headers.get("location")!, { redirect: "manual" });
    // Closed by us, not by Orange: one late check is kept for after Orange's window.
    const cancelled = await paymentRow(world.database, started.paymentId);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.nextCheckAt!.getTime()).toBeGreaterThan(cancelled.expiresAt!.getTime());

    // Back on Orange's page (browser back), the shopper confirms after all; Orange's one
    // notification does not reach us (Orange never retries it).
    const paid = await submitForm(pageUrl, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS", fault_dropNotification: "1" });
    expect(paid.status).toBe(303);
    // Orange sends the shopper back to our return URL: a status check would see SUCCESS…
    const back = await fetch(paid.headers.get("location")!, { redirect: "manual" });
    expect(back.status).toBe(303);
    // …and reconciliation runs its late check once Orange's window is over.
    await sweep({ ...world.app.deps(), now: () => new Date(cancelled.nextCheckAt!.getTime() + 1_000) });

    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("paid");
  });
});

describe.each(TEST_DATABASES)("an attempt failed on our side, paid at the provider, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const IPAY = seededCredentials("autre", "ipay");
  const control = (body: unknown) => sandboxControl(world.app.url, "ipay", IPAY.vendorId!, IPAY.securityKey!, "faults", body);

  it("iPay STK push: the push call times out after iPay rang the phone; the shopper approves; the callback is lost", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const base = world.app.deps();
    const sandboxApi = base.urlsFor("ipay", "sandbox").api!;
    // iPay's API, slow to answer the push it has already sent to the phone.
    const slow = await startHost(async (req) => {
      const path = new URL(req.url).pathname.replace(/^\/payments\/v2/, "");
      const answer = await fetch(`${sandboxApi}${path}`, { method: req.method, headers: { "content-type": req.headers.get("content-type") ?? "application/json" }, body: await req.text() });
      if (path.startsWith("/transact/push")) await new Promise((resolve) => setTimeout(resolve, 1_500));
      return new Response(await answer.text(), { status: answer.status, headers: { "content-type": answer.headers.get("content-type") ?? "application/json" } });
    });
    const deps = { ...base, timeouts: { initMs: 500, statusMs: 3_000 }, urlsFor: (provider: Parameters<typeof base.urlsFor>[0], mode: Parameters<typeof base.urlsFor>[1]) => (provider === "ipay" ? { ...base.urlsFor(provider, mode), api: `${slow.url}/payments/v2` } : base.urlsFor(provider, mode)) };
    let paymentId = "";
    try {
      await expect(startPayment(deps, { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa", flow: "push" })).rejects.toMatchObject({ code: "timeout" });
      const [row] = await world.database.db.select().from(s.payments).where(eq(s.payments.orderId, order.id));
      paymentId = row!.id;
      expect(row!.status).toBe("failed");
      expect(row!.nextCheckAt).not.toBeNull(); // an answer we never got: one late check
    } finally {
      await slow.close();
    }
    // The prompt is on the phone all the same; the shopper approves it, and iPay's callback is lost.
    await control({ faults: { dropNotification: true } });
    try {
      const phonePage = await (await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`)).text();
      const sid = /data-sid="([^"]+)"/.exec(phonePage)?.[1];
      expect(sid).toBeTruthy();
      const approved = await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`, { method: "POST", body: new URLSearchParams({ sid: sid!, action: "approve", pin: "1234" }), redirect: "manual" });
      expect(approved.status).toBeLessThan(400);
    } finally {
      await control({ faults: {} });
    }
    const { nextCheckAt } = await paymentRow(world.database, paymentId);
    await sweep({ ...base, now: () => new Date(nextCheckAt!.getTime() + 1_000) });

    // iPay's search now reports the money; our books still say the attempt failed.
    expect((await paymentRow(world.database, paymentId)).status).toBe("paid");
  });
});
