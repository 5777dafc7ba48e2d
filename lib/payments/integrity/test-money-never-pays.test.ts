import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext } from "@/lib/auth/membership";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, newOrder, paymentRow, submitForm } from "@/lib/testing/payments";
import { startPayment } from "../start";

/**
 * Issue 12 (found in review) item 11. A payment keeps its mode, so a sandbox payment is still asked about
 * (and still believed) in sandbox after its account went live. Nothing stops that payment from
 * being paid after the switch: its sandbox page or widget is still offered on the order page, the
 * sandbox's money is free, and the order becomes paid like any other, with nothing telling the
 * merchant (now live) that no real money exists behind it.
 */
describe.each(TEST_DATABASES)("sandbox money after the account went live, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("an open order's sandbox payment paid after the switch to live does not make a live order paid, unflagged", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ mode: "sandbox", status: "pending" });

    const user = await checkCredentials(world.database.db, { email: "owner@demo.test", password: "demo-password" });
    const owner = (await loadMerchantContext(world.database.db, user!.id))!;
    const switched = await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, {
      provider: "cinetpay",
      enabled: "on",
      feeRate: "3,5",
      feeFixed: "0",
      settlementDelayDays: "2",
      mode: "live",
      live_cred_apiKey: "live_cp_apikey_7c21",
      live_cred_siteId: "990011",
      live_cred_secretKey: "live_cp_secret_e5a0",
    });
    expect(switched).toEqual({ ok: true });

    // The order page still offers the pending payment's (sandbox) page: paid with test money.
    await submitForm((started.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    const payment = await eventually(() => paymentRow(world.database, started.paymentId), (p) => p.status !== "pending" || p.flag !== null);

    // Test money never pays an order: the payment stays open, flagged for the merchant to close.
    expect(payment).toMatchObject({ status: "pending", flag: "sandbox_payment" });
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("open");
  });
});
