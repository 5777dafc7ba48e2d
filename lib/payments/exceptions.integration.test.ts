import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { newId } from "@/lib/ids";
import { hashPassword } from "@/lib/password";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, newOrder, paymentRow, seededCredentials, statusOf, submitForm } from "@/lib/testing/payments";
import { resolveException } from "./exception-actions";
import { countOpenExceptions, listExceptions, loadException } from "./exceptions";
import { estimateFee } from "./fees";
import { startPayment } from "./start";

const KKIAPAY = seededCredentials("demo", "kkiapay");
const IPAY_FIELDS = { channel: "mpesa", payer_name: "Brian Otieno", payer_phone: "254722000000" };

describe.each(TEST_DATABASES)("the Exceptions queue on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  let owner: MerchantContext;
  let secondOwner: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;

  const ctxOf = async (email: string, password: string) => (await loadMerchantContext(world.database.db, (await checkCredentials(world.database.db, { email, password }))!.id))!;

  beforeAll(async () => {
    owner = await ctxOf("owner@demo.test", "demo-password");
    staff = await ctxOf("staff@demo.test", "staff-password");
    autre = await ctxOf("owner@autre.test", "autre-password");
    // A second owner of demo, for two people resolving at once.
    const userId = newId("usr");
    await world.database.db.insert(s.users).values({ id: userId, email: "associe@demo.test", name: "Associé", passwordHash: await hashPassword("associe-password") });
    await world.database.db.insert(s.members).values({ id: newId("mem"), merchantId: owner.merchant.id, userId, role: "owner" });
    secondOwner = await ctxOf("associe@demo.test", "associe-password");
  });

  const resolve = (ctx: MerchantContext, paymentId: string, action: string, extra: { token?: string; note?: string } = {}) =>
    resolveException(world.app.deps(), ctx, { paymentId, action, token: extra.token ?? randomUUID(), note: extra.note ?? "" });

  const exceptionEvents = async (paymentId: string) => (await eventsOf(world.database, paymentId)).filter((e) => e.type === "exception");
  const refundsOf = (paymentId: string) => world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, paymentId));
  const orderOf = async (orderId: string) => (await world.database.db.select().from(s.orders).where(eq(s.orders.id, orderId)))[0]!;

  /** The widget iframe's form, as the shopper submits it; KKiaPay then sends its signed webhook. */
  async function payKkiapayWidget(config: Record<string, unknown>) {
    const res = await fetch(`${world.app.url}/sandbox/kkiapay/widget/pay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ config: JSON.stringify(config), action: "pay", operator: "mtn", phone: "0707070707", outcome: "success" }),
    });
    expect(res.status).toBe(200);
  }

  /** Two payments started for one order (two tabs), both paid at the provider. */
  async function doublePayment(provider: "kkiapay" | "cinetpay") {
    const order = await newOrder(world.database, "demo", 1);
    const start = () => startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider, method: provider === "kkiapay" ? "mtn" : "orange_money" });
    const first = await start();
    const second = await start();
    const pay = async (p: typeof first) => {
      if (provider === "kkiapay") await payKkiapayWidget((p.action as { config: Record<string, unknown> }).config);
      else await submitForm((p.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    };
    await pay(first);
    await eventually(statusOf(world.database, first.paymentId), (st) => st === "paid");
    await pay(second);
    // Recorded as collected, flagged: the unique index lets exactly that stand beside the payment that pays the order.
    await eventually(() => paymentRow(world.database, second.paymentId), (row) => row.flag === "double_payment" && row.status === "paid");
    return { order, paying: first.paymentId, paymentId: second.paymentId };
  }

  /** An iPay hosted payment of autre's, paid with this outcome ("more" overpays, "less" underpays). */
  async function ipayPayment(outcome: "more" | "less") {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa" });
    const form = started.action as { url: string; fields: Record<string, string> };
    const opened = await fetch(form.url, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
    const session = new URL(opened.headers.get("location")!, form.url).toString();
    const chosen = await fetch(session, { method: "POST", body: new URLSearchParams({ ...IPAY_FIELDS, outcome }), redirect: "manual" });
    await fetch(chosen.headers.get("location")!, { redirect: "manual" });
    const flag = outcome === "more" ? "overpaid" : "underpaid";
    await eventually(() => paymentRow(world.database, started.paymentId), (row) => row.flag === flag);
    return { order, paymentId: started.paymentId };
  }

  it("lists the merchant's open exceptions with their reason and actions, counts them, and shows them to no one else", async () => {
    const double = await doublePayment("kkiapay");
    const over = await ipayPayment("more");
    const demo = await listExceptions(world.database.db, owner.merchant.id);
    const row = demo.rows.find((r) => r.id === double.paymentId)!;
    expect(row).toMatchObject({ flag: "double_payment", status: "paid", orderId: double.order.id, orderReference: double.order.reference, provider: "kkiapay" });
    expect(row.reason.key).toBe("double_payment");
    expect(row.offers.map((o) => o.action)).toEqual(["refund", "record_refund", "resolve"]);
    expect(demo.rows.some((r) => r.id === over.paymentId)).toBe(false);
    expect(await countOpenExceptions(world.database.db, owner.merchant.id)).toBe(demo.rows.length);

    const theirs = await listExceptions(world.database.db, autre.merchant.id);
    expect(theirs.rows.map((r) => r.id)).toContain(over.paymentId);
    expect(theirs.rows.some((r) => r.id === double.paymentId)).toBe(false);

    // Keyset pages of one: every open exception once, most recently touched first.
    const seen: string[] = [];
    let cursor: Awaited<ReturnType<typeof listExceptions>>["next"];
    do {
      const page = await listExceptions(world.database.db, owner.merchant.id, cursor, 1);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(demo.rows.map((r) => r.id));
  });

  it("a double payment at KKiaPay is refunded in one action through KKiaPay's API, owner only, once", async () => {
    const double = await doublePayment("kkiapay");
    expect(await resolve(staff, double.paymentId, "refund")).toEqual({ ok: false, error: "forbidden" });
    expect(await resolve(autre, double.paymentId, "refund")).toEqual({ ok: false, error: "not_found" });
    expect(await refundsOf(double.paymentId)).toEqual([]);
    expect(await exceptionEvents(double.paymentId)).toEqual([]);

    const token = randomUUID();
    expect(await resolve(owner, double.paymentId, "refund", { token })).toEqual({ ok: true, outcome: "refunded" });
    const row = await paymentRow(world.database, double.paymentId);
    expect(row).toMatchObject({ status: "refunded", flagResolution: "refunded", flagResolvedBy: owner.user.id, flagNote: null });
    expect(row.flagResolvedAt).toBeInstanceOf(Date);
    const refunds = await refundsOf(double.paymentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ kind: "api", status: "succeeded", amountMinor: double.order.amountMinor, createdBy: owner.user.id });
    const events = await exceptionEvents(double.paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: `user:${owner.user.id}`, data: { action: "refund", note: null, amount: double.order.amountMinor, flag: "double_payment" } });

    // KKiaPay itself reverted the transaction.
    const status = await fetch(`${world.app.url}/sandbox/kkiapay/api/v1/transactions/status`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KKIAPAY.publicKey!, "x-private-key": KKIAPAY.privateKey!, "x-secret-key": KKIAPAY.secretKey! },
      body: JSON.stringify({ transactionId: row.providerReference }),
    });
    expect(await status.json()).toMatchObject({ status: "REVERTED" });

    // Gone from the queue; the same form again is "already done", another one is refused.
    expect((await listExceptions(world.database.db, owner.merchant.id)).rows.some((r) => r.id === double.paymentId)).toBe(false);
    expect(await resolve(owner, double.paymentId, "refund", { token })).toEqual({ ok: true, outcome: "repeated" });
    expect(await resolve(secondOwner, double.paymentId, "resolve", { note: "vu" })).toEqual({ ok: false, error: "already_resolved" });
    expect(await refundsOf(double.paymentId)).toHaveLength(1);
    expect(await exceptionEvents(double.paymentId)).toHaveLength(1);
    // The order stays paid by the other payment: see "refunding a double payment leaves its order paid".
    expect((await paymentRow(world.database, double.paying)).status).toBe("paid");
  });

  it("refunding a double payment leaves its order paid", async () => {
    const double = await doublePayment("kkiapay");
    expect(await resolve(owner, double.paymentId, "refund")).toEqual({ ok: true, outcome: "refunded" });
    expect((await orderOf(double.order.id)).status).toBe("paid");
  });

  it("a manual refund recorded for a KKiaPay double payment never calls KKiaPay", async () => {
    const double = await doublePayment("kkiapay");
    expect(await resolve(owner, double.paymentId, "record_refund", { note: "Rendu en espèces" })).toEqual({ ok: true, outcome: "refund_recorded" });
    expect(await refundsOf(double.paymentId)).toMatchObject([{ kind: "manual", amountMinor: double.order.amountMinor }]);
    const row = await paymentRow(world.database, double.paymentId);
    const status = await fetch(`${world.app.url}/sandbox/kkiapay/api/v1/transactions/status`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KKIAPAY.publicKey!, "x-private-key": KKIAPAY.privateKey!, "x-secret-key": KKIAPAY.secretKey! },
      body: JSON.stringify({ transactionId: row.providerReference }),
    });
    expect(await status.json()).toMatchObject({ status: "SUCCESS" });
  });

  it("a double submit of one form refunds once (iPay overpayment: a partial refund the database alone would allow twice)", async () => {
    const over = await ipayPayment("more");
    const row = await paymentRow(world.database, over.paymentId);
    const excess = row.paidAmountMinor! - row.amountMinor;
    const [exception] = [await loadException(world.database.db, autre.merchant.id, over.paymentId)];
    expect(exception!.offers[0]).toEqual({ action: "refund", amountMinor: excess });

    const token = randomUUID();
    const results = await Promise.all([resolve(autre, over.paymentId, "refund", { token }), resolve(autre, over.paymentId, "refund", { token })]);
    expect(results.map((r) => (r.ok ? r.outcome : r.error)).sort()).toEqual(["refunded", "repeated"]);
    const refunds = await refundsOf(over.paymentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ kind: "api", status: "succeeded", amountMinor: excess });
    expect(await paymentRow(world.database, over.paymentId)).toMatchObject({ status: "partially_refunded", flagResolution: "refunded" });
    expect(await exceptionEvents(over.paymentId)).toHaveLength(1);
  });

  it("two owners acting at once: one resolves, the other is told, and one event is written", async () => {
    const double = await doublePayment("cinetpay");
    const results = await Promise.all([
      resolve(owner, double.paymentId, "record_refund", { note: "Wave 0707" }),
      resolve(secondOwner, double.paymentId, "resolve", { note: "Déjà rendu en boutique" }),
    ]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "already_resolved" }]);
    const events = await exceptionEvents(double.paymentId);
    expect(events).toHaveLength(1);
    const row = await paymentRow(world.database, double.paymentId);
    expect(row.flagResolvedBy).toBe(events[0]!.actor!.replace("user:", ""));
    // A refund row exists exactly when the manual record won.
    expect((await refundsOf(double.paymentId)).length).toBe(events[0]!.data.action === "record_refund" ? 1 : 0);
  });

  it("CinetPay has no refund API: a manual refund is recorded, with the note as its reason", async () => {
    const double = await doublePayment("cinetpay");
    const exception = await loadException(world.database.db, owner.merchant.id, double.paymentId);
    expect(exception!.offers.map((o) => o.action)).toEqual(["record_refund", "resolve"]);
    expect(await resolve(owner, double.paymentId, "refund")).toEqual({ ok: false, error: "action_unavailable" });
    expect(await resolve(owner, double.paymentId, "record_refund", { note: "Transfert Orange 0707070707" })).toEqual({ ok: true, outcome: "refund_recorded" });
    const [refund] = await refundsOf(double.paymentId);
    expect(refund).toMatchObject({ kind: "manual", status: "succeeded", amountMinor: double.order.amountMinor, reason: "Transfert Orange 0707070707" });
    expect(await paymentRow(world.database, double.paymentId)).toMatchObject({ flagResolution: "refund_recorded", flagNote: "Transfert Orange 0707070707" });
    expect((await exceptionEvents(double.paymentId))[0]!.data).toMatchObject({ action: "record_refund", note: "Transfert Orange 0707070707", amount: double.order.amountMinor });
  });

  it("a refund the provider refuses opens the exception again and says why", async () => {
    const double = await doublePayment("kkiapay");
    const { providerReference } = await paymentRow(world.database, double.paymentId);
    // Reverted behind our back (from KKiaPay's dashboard): KKiaPay refuses a second revert.
    const reverted = await fetch(`${world.app.url}/sandbox/kkiapay/api/v1/transactions/revert`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KKIAPAY.publicKey!, "x-private-key": KKIAPAY.privateKey!, "x-secret-key": KKIAPAY.secretKey! },
      body: JSON.stringify({ transactionId: providerReference }),
    });
    expect(reverted.status).toBe(200);
    const result = await resolve(owner, double.paymentId, "refund");
    expect(result).toMatchObject({ ok: false, error: "refund_failed" });
    const row = await paymentRow(world.database, double.paymentId);
    expect(row).toMatchObject({ status: "paid", flagResolvedAt: null, flagResolution: null, flagResolvedBy: null });
    expect((await exceptionEvents(double.paymentId)).map((e) => e.data.action)).toEqual(["refund", "reopen"]);
    expect((await exceptionEvents(double.paymentId))[1]!.data).toMatchObject({ failed: "refund", error: "refund_failed" });
    expect((await listExceptions(world.database.db, owner.merchant.id)).rows.map((r) => r.id)).toContain(double.paymentId);
    // Settled on a person's word instead.
    expect(await resolve(owner, double.paymentId, "resolve", { note: "Remboursé depuis le tableau de bord KKiaPay" })).toEqual({ ok: true, outcome: "resolved" });
  });

  it("an underpayment accepted with a note becomes paid for what was received, fee and net on that amount; the order is paid", async () => {
    const under = await ipayPayment("less");
    const before = await loadException(world.database.db, autre.merchant.id, under.paymentId);
    expect(before).toMatchObject({ status: "pending", reason: { key: "underpaid" } });
    const received = before!.received.amountMinor!;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(before!.amountMinor);
    expect(await resolve(autre, under.paymentId, "accept")).toEqual({ ok: false, error: "invalid_input", fieldErrors: { note: "note_required" } });

    expect(await resolve(autre, under.paymentId, "accept", { note: "Le client paiera le reste en boutique" })).toEqual({ ok: true, outcome: "accepted" });
    const row = await paymentRow(world.database, under.paymentId);
    const [account] = await world.database.db.select().from(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, autre.merchant.id), eq(s.providerAccounts.provider, "ipay")));
    const fee = estimateFee(received, account!);
    expect(row).toMatchObject({ status: "paid", paidAmountMinor: received, feeEstimatedMinor: fee, netMinor: received - fee, nextCheckAt: null, flagResolution: "accepted" });
    expect(row.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row.paidAt).toBeInstanceOf(Date);
    expect((await orderOf(under.order.id)).status).toBe("paid");
    const events = await eventsOf(world.database, under.paymentId);
    expect(events.filter((e) => e.type === "exception").map((e) => e.data)).toEqual([
      expect.objectContaining({ action: "accept", note: "Le client paiera le reste en boutique", amount: received }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: "transition", toStatus: "paid", actor: `user:${autre.user.id}` });
  });

  it("an underpayment marked resolved closes the attempt (cancelled, underpaid_returned) and leaves the order to be paid", async () => {
    const under = await ipayPayment("less");
    expect(await resolve(autre, under.paymentId, "resolve", { note: "Argent renvoyé par M-Pesa" })).toEqual({ ok: true, outcome: "resolved" });
    const row = await paymentRow(world.database, under.paymentId);
    expect(row).toMatchObject({ status: "cancelled", failureCode: "underpaid_returned", failureMessage: "Argent renvoyé par M-Pesa", nextCheckAt: null, flagResolution: "resolved" });
    expect((await orderOf(under.order.id)).status).toBe("open");
  });

  it("an amount mismatch can only be resolved with a note, which cancels the undecided attempt", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    // What a status check records when KKiaPay's transaction is for another amount.
    await world.database.db.update(s.payments).set({ flag: "amount_mismatch" }).where(eq(s.payments.id, started.paymentId));
    await world.database.db.insert(s.paymentEvents).values({
      paymentId: started.paymentId,
      merchantId: order.merchantId,
      type: "flag",
      actor: "test",
      data: { flag: "amount_mismatch", ours: { amount: order.amountMinor, currency: "XOF" }, provider: { amount: 100, currency: "XOF" } },
    });
    const exception = await loadException(world.database.db, owner.merchant.id, started.paymentId);
    expect(exception).toMatchObject({ reason: { key: "amount_mismatch", amounts: { received: 100 } }, offers: [{ action: "resolve", cancels: true }] });
    expect(await resolve(owner, started.paymentId, "record_refund")).toEqual({ ok: false, error: "action_unavailable" });
    expect(await resolve(owner, started.paymentId, "resolve")).toMatchObject({ ok: false, fieldErrors: { note: "note_required" } });
    expect(await resolve(owner, started.paymentId, "resolve", { note: "KKiaPay confirme : transaction d'une autre commande" })).toEqual({ ok: true, outcome: "resolved" });
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "cancelled", failureCode: "amount_mismatch", flagResolution: "resolved" });
  });

  it("paid after we closed it (rows from before late money was collected): a manual refund is recorded on the exception only", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    await fetch(`${world.app.url}/orders/${order.id}/return?p=${started.paymentId}&cancelled=1`, { redirect: "manual" });
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("cancelled");
    // Today late money makes the payment paid; older code left it cancelled with this flag.
    await world.database.db.execute(sql`update payments set flag = 'paid_after_final' where id = ${started.paymentId}`);

    const exception = await loadException(world.database.db, owner.merchant.id, started.paymentId);
    expect(exception!.offers).toEqual([
      { action: "record_refund", amountMinor: order.amountMinor, books: false },
      { action: "resolve", cancels: false },
    ]);
    expect(await resolve(owner, started.paymentId, "record_refund", { note: "MTN MoMo 0197000000" })).toEqual({ ok: true, outcome: "refund_recorded" });
    expect(await refundsOf(started.paymentId)).toEqual([]);
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "cancelled", flagResolution: "refund_recorded" });
    expect((await exceptionEvents(started.paymentId))[0]!.data).toMatchObject({ action: "record_refund", amount: order.amountMinor, note: "MTN MoMo 0197000000" });
  });

  it("refuses a bad token, an unknown action and a long note before touching anything", async () => {
    const double = await doublePayment("cinetpay");
    expect(await resolve(owner, double.paymentId, "refund", { token: "short" })).toMatchObject({ ok: false, error: "invalid_input", fieldErrors: { token: "token_invalid" } });
    expect(await resolve(owner, double.paymentId, "pay_twice")).toMatchObject({ ok: false, error: "invalid_input" });
    expect(await resolve(owner, double.paymentId, "resolve", { note: "x".repeat(501) })).toMatchObject({ ok: false, fieldErrors: { note: "note_too_long" } });
    expect(await resolve(owner, "pay_doesnotexist", "resolve", { note: "x" })).toEqual({ ok: false, error: "not_found" });
    expect(await exceptionEvents(double.paymentId)).toEqual([]);
  });
});
