import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { decryptJson } from "@/lib/crypto";
import { startAppHost } from "@/lib/testing/app-host";
import { csvText, parseCsv } from "@/lib/testing/csv";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, newOrder, seededCredentials, statusOf } from "@/lib/testing/payments";
import { expectApproximateMedian } from "@/lib/testing/rollup-oracle";
import { startPayment } from "@/lib/payments/start";
import { CSV_BOM, CSV_HEADER, ordersCsvStream, type CsvOptions } from "./csv";
import { parseOrderFilters, type OrderFilters } from "./filters";
import { getOrderDetail } from "./order-detail";
import { listOrders, type OrderRow } from "./orders";
import { dailyVolume, overviewStats, parsePeriod, settlementsByDate, successByRoute } from "./overview";
import { recheckPayment, refundOrderPayment } from "./payment-actions";
import { createLink, linkUrl, listLinks, setLinkActive, whatsappShareUrl } from "./links";
import { credentialFields, listMembers, listProviderAccounts, saveProviderAccount, webhookUrl } from "./settings";
import { listNotifications, listPending, replayNotification } from "./queues";

const NAIROBI: CsvOptions = { variant: "csv", timeZone: "Africa/Nairobi" };

const base: OrderFilters = { sort: "created", dir: "desc" };

async function allPages(database: Database, merchantId: string, filters: OrderFilters, size: number) {
  const rows: OrderRow[] = [];
  let cursor: OrderFilters["cursor"];
  for (let guard = 0; guard < 100; guard++) {
    const page = await listOrders(database.db, merchantId, { ...filters, cursor }, size);
    rows.push(...page.rows);
    if (!page.next) return rows;
    cursor = page.next;
  }
  throw new Error("pagination never ended");
}

const readCsv = csvText;

describe.each(TEST_DATABASES)("merchant dashboard data on $name", ({ open }) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof startAppHost>>;
  let owner: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;

  const ctxOf = async (email: string, password: string) => loadMerchantContext(database.db, (await checkCredentials(database.db, { email, password }))!.id) as Promise<MerchantContext>;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
    app = await startAppHost(database);
    owner = await ctxOf("owner@demo.test", "demo-password");
    staff = await ctxOf("staff@demo.test", "staff-password");
    autre = await ctxOf("owner@autre.test", "autre-password");
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("pages through every order once, newest first, with no gap or duplicate", async () => {
    const rows = await allPages(database, owner.merchant.id, base, 17);
    const total = await database.db.$count(s.orders, eq(s.orders.merchantId, owner.merchant.id));
    expect(total).toBeGreaterThanOrEqual(200);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(rows[i]!.createdAt.getTime());
    expect(rows.every((r) => r.currency === "XOF")).toBe(true);
  });

  it("keeps microsecond timestamps apart across pages (a JS Date would round them)", async () => {
    const rows = (await listOrders(database.db, autre.merchant.id, base, 5)).rows;
    for (const [i, row] of rows.entries()) {
      await database.db.execute(sql`update orders set created_at = ${`2020-01-01 00:00:00.00010${i}+00`}::timestamptz where id = ${row.id}`);
    }
    const paged = await allPages(database, autre.merchant.id, parseOrderFilters({ from: "2020-01-01", to: "2020-01-01" }, { currency: "KES", timeZone: "Africa/Nairobi" }), 1);
    expect(paged.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it("pages by amount too, ties broken by id", async () => {
    const rows = await allPages(database, owner.merchant.id, { ...base, sort: "amount", dir: "asc" }, 23);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(200);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(a.amountMinor < b.amountMinor || (a.amountMinor === b.amountMinor && a.id < b.id)).toBe(true);
    }
  });

  it("filters by status, provider, method, dates and amounts in SQL", async () => {
    const all = await allPages(database, owner.merchant.id, base, 500);
    const filters = parseOrderFilters({ status: "paid", provider: "cinetpay", method: "mtn", min: "5000", max: "60000" }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    const rows = await allPages(database, owner.merchant.id, filters, 500);
    const expected = all.filter((r) => r.payment?.status === "paid" && r.payment.provider === "cinetpay" && r.payment.method === "mtn" && r.amountMinor >= 5000 && r.amountMinor <= 60000);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());

    const day = all[Math.floor(all.length / 2)]!.createdAt.toISOString().slice(0, 10);
    const onDay = await allPages(database, owner.merchant.id, parseOrderFilters({ from: day, to: day }, { currency: "XOF", timeZone: "Africa/Abidjan" }), 500);
    expect(onDay.length).toBeGreaterThan(0);
    expect(onDay.map((r) => r.id).sort()).toEqual(all.filter((r) => r.createdAt.toISOString().slice(0, 10) === day).map((r) => r.id).sort());
  });

  it("shows fee = reported ?? estimated, net and the settlement date with their source", async () => {
    const rows = await allPages(database, owner.merchant.id, { ...base, status: "paid" }, 500);
    const kkiapay = rows.find((r) => r.payment?.provider === "kkiapay")!;
    expect(kkiapay.feeReported).toBe(true);
    expect(kkiapay.netMinor).toBe(kkiapay.amountMinor - kkiapay.feeMinor!);
    const orange = rows.find((r) => r.payment?.provider === "orange-money")!;
    expect(orange.feeReported).toBe(false);
    expect(orange.feeMinor).toBeGreaterThan(0);
    expect(orange.payment!.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows.find((r) => r.payment?.provider === "cinetpay")!.payment!.settlementReported).toBe(true);
  });

  it("searches reference, e-mail, phone digits and provider reference", async () => {
    const [sample] = (await listOrders(database.db, owner.merchant.id, { ...base, status: "paid" }, 1)).rows;
    const search = (q: string) => allPages(database, owner.merchant.id, parseOrderFilters({ q }, { currency: "XOF", timeZone: "Africa/Abidjan" }), 500);
    expect((await search(sample!.reference)).map((r) => r.id)).toContain(sample!.id);
    const byEmail = await search(sample!.customerEmail!.toUpperCase());
    expect(byEmail.length).toBeGreaterThan(0);
    expect(byEmail.every((r) => r.customerEmail === sample!.customerEmail)).toBe(true);
    const digits = sample!.customerPhone!.slice(-8);
    expect((await search(`${digits.slice(0, 2)} ${digits.slice(2)}`)).every((r) => r.customerPhone!.includes(digits))).toBe(true);
    expect((await search(sample!.payment!.providerReference!)).map((r) => r.id)).toContain(sample!.id);
    expect(await search("%%%")).toHaveLength(0);
  });

  it("searches what an index can answer: reference part, phone ending, e-mail start, exact payment references, name anywhere", async () => {
    const [sample] = (await listOrders(database.db, owner.merchant.id, { ...base, status: "paid" }, 1)).rows;
    const search = (q: string) => allPages(database, owner.merchant.id, parseOrderFilters({ q }, { currency: "XOF", timeZone: "Africa/Abidjan" }), 500);
    const ids = async (q: string) => (await search(q)).map((r) => r.id);
    expect(await ids(sample!.reference.slice(0, 4).toLowerCase())).toContain(sample!.id);
    // As a merchant types it: the national number, in pairs.
    const national = sample!.customerPhone!.replace(/^\+225/, "");
    const byPhone = await search(national.replace(/(\d{2})(?=\d)/g, "$1 "));
    expect(byPhone.map((r) => r.id)).toContain(sample!.id);
    expect(byPhone.every((r) => r.customerPhone === sample!.customerPhone)).toBe(true);
    const email = sample!.customerEmail!;
    expect(await ids(email.slice(0, email.indexOf("@") + 1).toUpperCase())).toContain(sample!.id);
    const [payment] = await database.db.select({ reference: s.payments.reference }).from(s.payments).where(eq(s.payments.id, sample!.payment!.id));
    expect(await ids(payment!.reference.toLowerCase())).toContain(sample!.id);
    const lastName = sample!.customerName.split(" ").at(-1)!;
    const byName = await search(lastName.toLowerCase());
    expect(byName.map((r) => r.id)).toContain(sample!.id);
    expect(byName.every((r) => r.customerName.toLowerCase().includes(lastName.toLowerCase()))).toBe(true);
    // Digits from the middle of a number are no phone search: only endings are (and reference parts).
    const middle = sample!.customerPhone!.slice(5, 10);
    expect((await search(middle)).every((r) => r.customerPhone!.endsWith(middle) || r.reference.includes(middle))).toBe(true);
    expect(await search("___")).toHaveLength(0);
    expect(await search("H0_")).toHaveLength(0);
  });

  it("never returns another merchant's orders", async () => {
    const autreRows = await allPages(database, autre.merchant.id, base, 500);
    const demoIds = new Set((await allPages(database, owner.merchant.id, base, 500)).map((r) => r.id));
    expect(autreRows.length).toBeGreaterThan(0);
    expect(autreRows.some((r) => demoIds.has(r.id))).toBe(false);
    const demoRef = (await listOrders(database.db, owner.merchant.id, base, 1)).rows[0]!;
    expect(await allPages(database, autre.merchant.id, parseOrderFilters({ q: demoRef.payment!.providerReference ?? "CSDEMO" }, { currency: "KES", timeZone: "Africa/Nairobi" }), 500)).toHaveLength(0);
    expect(await getOrderDetail(database.db, autre.merchant.id, demoRef.id)).toBeNull();
    expect((await getOrderDetail(database.db, owner.merchant.id, demoRef.id))!.order.id).toBe(demoRef.id);
  });

  it("streams the filtered set as CSV: header, quoting, decimal amounts, this merchant only", async () => {
    const text = await readCsv(ordersCsvStream(database.db, autre.merchant.id, parseOrderFilters({ status: "paid" }, { currency: "KES", timeZone: "Africa/Nairobi" }), NAIROBI, 7));
    expect(text.startsWith(CSV_BOM)).toBe(true);
    const [header, ...records] = parseCsv(text.slice(CSV_BOM.length));
    expect(header).toEqual(CSV_HEADER);
    const expected = await allPages(database, autre.merchant.id, { ...base, status: "paid" }, 500);
    expect(records.map((r) => r[0])).toEqual(expected.map((r) => r.reference));
    const col = (name: string) => CSV_HEADER.indexOf(name);
    for (const [i, record] of records.entries()) {
      const row = expected[i]!;
      expect(record).toHaveLength(CSV_HEADER.length);
      expect(record[col("currency")]).toBe("KES");
      expect(record[col("amount")]).toMatch(/^\d+\.\d{2}$/);
      expect(Math.round(Number(record[col("amount")]) * 100)).toBe(row.amountMinor);
      expect(Math.round(Number(record[col("net")]) * 100)).toBe(row.netMinor);
      expect(record[col("status")]).toBe("paid");
    }
    const demoCsv = await readCsv(ordersCsvStream(database.db, owner.merchant.id, base, { variant: "csv", timeZone: "Africa/Abidjan" }));
    expect(demoCsv).not.toContain("KES");
    expect(parseCsv(demoCsv.slice(CSV_BOM.length)).slice(1).every((r) => /^\d+$/.test(r[col("amount")]!))).toBe(true);
  });

  it("quotes names holding commas and quotes in the CSV", async () => {
    const [row] = (await listOrders(database.db, autre.merchant.id, base, 1)).rows;
    await database.db.update(s.orders).set({ customerName: 'Wanjiru "Shiro", Nairobi' }).where(eq(s.orders.id, row!.id));
    const text = await readCsv(ordersCsvStream(database.db, autre.merchant.id, parseOrderFilters({ q: row!.reference }, { currency: "KES", timeZone: "Africa/Nairobi" }), NAIROBI));
    expect(text).toContain(`${row!.reference},`);
    expect(text).toContain('"Wanjiru ""Shiro"", Nairobi"');
    expect(parseCsv(text.slice(CSV_BOM.length))[1]![CSV_HEADER.indexOf("customer_name")]).toBe('Wanjiru "Shiro", Nairobi');
  });

  async function paidPayment(ctx: MerchantContext, provider: (typeof s.providerId.enumValues)[number]) {
    const [p] = await database.db
      .select()
      .from(s.payments)
      .where(and(eq(s.payments.merchantId, ctx.merchant.id), eq(s.payments.provider, provider), eq(s.payments.status, "paid")))
      .limit(1);
    return p!;
  }

  it("refuses a refund to staff and to another merchant, touching nothing", async () => {
    const payment = await paidPayment(owner, "cinetpay");
    const input = { paymentId: payment.id, amount: String(payment.amountMinor), reason: "test", confirm: "yes" };
    expect(await refundOrderPayment(app.deps(), staff, input)).toEqual({ ok: false, error: "forbidden" });
    expect(await refundOrderPayment(app.deps(), autre, input)).toEqual({ ok: false, error: "not_found" });
    expect(await database.db.$count(s.refunds, eq(s.refunds.paymentId, payment.id))).toBe(0);
    expect(await recheckPayment(app.deps(), autre, { paymentId: payment.id })).toEqual({ ok: false, error: "not_found" });
  });

  it("validates the refund form at the field", async () => {
    const payment = await paidPayment(owner, "cinetpay");
    const noConfirm = await refundOrderPayment(app.deps(), owner, { paymentId: payment.id, amount: "100" });
    expect(noConfirm).toMatchObject({ ok: false, error: "invalid_input", fieldErrors: { confirm: "confirm_required" } });
    const tooMuch = await refundOrderPayment(app.deps(), owner, { paymentId: payment.id, amount: String(payment.amountMinor + 5), confirm: "yes" });
    expect(tooMuch).toMatchObject({ ok: false, error: "refund_amount_invalid", fieldErrors: { amount: "refund_amount_invalid" } });
    expect(await refundOrderPayment(app.deps(), owner, { paymentId: payment.id, amount: "abc", confirm: "yes" })).toMatchObject({ fieldErrors: { amount: "amount_invalid" } });
    expect(await refundOrderPayment(app.deps(), owner, null)).toMatchObject({ ok: false, error: "invalid_input" });
  });

  it("records a manual refund on CinetPay (no refund API) with instructions and an audit event", async () => {
    const payment = await paidPayment(owner, "cinetpay");
    const detail = await getOrderDetail(database.db, owner.merchant.id, payment.orderId);
    expect(detail!.payments.find((p) => p.id === payment.id)!.refundMode).toBe("manual");
    const result = await refundOrderPayment(app.deps(), owner, { paymentId: payment.id, amount: String(payment.amountMinor), reason: "Retour", confirm: "yes" });
    expect(result).toEqual({ ok: true, kind: "manual", status: "refunded" });
    const [refund] = await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id));
    expect(refund).toMatchObject({ kind: "manual", createdBy: owner.user.id, amountMinor: payment.amountMinor });
    expect(refund!.instructions).toContain("mobile money");
    const events = await database.db.select().from(s.paymentEvents).where(and(eq(s.paymentEvents.paymentId, payment.id), inArray(s.paymentEvents.type, ["refund", "transition"])));
    expect(events.some((e) => e.type === "refund" && e.actor === owner.user.id)).toBe(true);
    expect(events.some((e) => e.type === "transition" && e.toStatus === "refunded")).toBe(true);
  });

  it("refunds a real sandbox KKiaPay payment through the provider's API", async () => {
    const order = await newOrder(database, "demo", 1);
    const started = await startPayment(app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    // What the sandbox widget posts when the shopper pays (see lib/payments/flows.kkiapay.test.ts).
    await fetch(`${app.url}/sandbox/kkiapay/widget/pay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ config: JSON.stringify(config), action: "pay", operator: "mtn", phone: "0707070707", outcome: "success" }),
    });
    await eventually(statusOf(database, started.paymentId), (st) => st === "paid");
    const detail = await getOrderDetail(database.db, owner.merchant.id, order.id);
    expect(detail!.payments[0]!.refundMode).toBe("api_full_only");
    const result = await refundOrderPayment(app.deps(), owner, { paymentId: started.paymentId, amount: String(order.amountMinor), reason: "Retour", confirm: "yes" });
    expect(result).toEqual({ ok: true, kind: "api", status: "refunded" });
    const [refund] = await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, started.paymentId));
    expect(refund).toMatchObject({ kind: "api", status: "succeeded", createdBy: owner.user.id });
    // Init, notification, status checks and the refund are all in the ledger; no credential is.
    const after = await getOrderDetail(database.db, owner.merchant.id, order.id);
    expect(new Set(after!.events.map((e) => e.type))).toEqual(new Set(["init_request", "init_response", "notification", "status_check", "transition", "refund"]));
    const ledger = JSON.stringify(after);
    const { privateKey, secretKey } = seededCredentials("demo", "kkiapay");
    for (const secret of [privateKey!, secretKey!]) expect(ledger).not.toContain(secret);
  });

  it("re-checks a payment as the signed-in user, leaving a status_check event", async () => {
    const [pending] = await database.db
      .select()
      .from(s.payments)
      .where(and(eq(s.payments.merchantId, owner.merchant.id), inArray(s.payments.status, ["pending", "waiting_for_customer"])))
      .limit(1);
    // Seeded history has no sandbox transaction behind it: the sandbox answers, whatever it says.
    const result = await recheckPayment(app.deps(), staff, { paymentId: pending!.id });
    expect(result.ok || result.error === "provider_error").toBe(true);
    const checks = await database.db.select().from(s.paymentEvents).where(and(eq(s.paymentEvents.paymentId, pending!.id), eq(s.paymentEvents.type, "status_check")));
    expect(checks.map((e) => e.actor)).toContain(`user:${staff.user.id}`);
    expect(await recheckPayment(app.deps(), owner, { paymentId: "" })).toEqual({ ok: false, error: "invalid_input" });
  });

  it("tells which refund each provider will make", async () => {
    const kkiapay = await paidPayment(owner, "kkiapay");
    const detail = await getOrderDetail(database.db, owner.merchant.id, kkiapay.orderId);
    const shown = detail!.payments.find((p) => p.id === kkiapay.id)!;
    expect(shown.refundMode).toBe("api_full_only");
    expect(shown).not.toHaveProperty("storedSecretEncrypted", expect.anything());
    const ipay = await paidPayment(autre, "ipay");
    expect((await getOrderDetail(database.db, autre.merchant.id, ipay.orderId))!.payments.find((p) => p.id === ipay.id)!.refundMode).toBe("api_any");
  });

  it("sums the overview's figures from this merchant's payments only", async () => {
    const now = new Date();
    const all = await database.db.select().from(s.payments).where(eq(s.payments.merchantId, autre.merchant.id));
    // autre is a Nairobi store (UTC+3 all year): its days start at 21:00 UTC the day before.
    const local = new Date(now.getTime() + 3 * 3_600_000);
    const nairobiMidnight = (daysBack: number) => new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysBack) - 3 * 3_600_000);
    const since = nairobiMidnight(29);
    const inPeriod = all.filter((p) => p.createdAt >= since);
    const collected = inPeriod.filter((p) => ["paid", "partially_refunded", "refunded"].includes(p.status));
    const failed = inPeriod.filter((p) => ["failed", "cancelled", "expired"].includes(p.status));
    const stats = await overviewStats(database.db, autre.merchant, parsePeriod("30d"), now);
    expect(collected.length).toBeGreaterThan(0);
    expect(stats.volumeMinor).toBe(collected.reduce((sum, p) => sum + p.amountMinor, 0));
    expect(stats.netMinor).toBe(collected.reduce((sum, p) => sum + (p.netMinor ?? 0), 0));
    expect(stats.feesMinor).toBe(collected.reduce((sum, p) => sum + (p.feeReportedMinor ?? p.feeEstimatedMinor ?? 0), 0));
    expect(stats.successRate).toBeCloseTo(collected.length / (collected.length + failed.length), 10);
    expect(parsePeriod("bogus")).toBe("30d");

    const daily = await dailyVolume(database.db, autre.merchant, "7d", now);
    expect(daily).toHaveLength(7);
    expect(daily.at(-1)!.day).toBe(local.toISOString().slice(0, 10));
    const weekStart = nairobiMidnight(6);
    const paidThisWeek = all.filter((p) => p.paidAt && p.paidAt >= weekStart && ["paid", "partially_refunded", "refunded"].includes(p.status));
    expect(daily.reduce((sum, d) => sum + d.volumeMinor, 0)).toBe(paidThisWeek.reduce((sum, p) => sum + p.amountMinor, 0));

    const routes = await successByRoute(database.db, autre.merchant, "30d", now);
    expect(routes.map((r) => r.provider)).toEqual(routes.map(() => "ipay"));
    expect(routes.reduce((sum, r) => sum + r.collected, 0)).toBe(collected.length);
    expect(routes.reduce((sum, r) => sum + r.decided, 0)).toBe(collected.length + failed.length);
    const mpesa = routes.find((r) => r.method === "mpesa")!;
    const mpesaSeconds = collected.filter((p) => p.method === "mpesa").map((p) => (p.paidAt!.getTime() - p.createdAt.getTime()) / 1000).sort((a, b) => a - b);
    // Approximate (interpolated from the time-to-pay histogram): within the exact median's bucket.
    expectApproximateMedian(mpesa.medianSeconds, mpesaSeconds);

    const payouts = await settlementsByDate(database.db, autre.merchant.id, {}, 1000);
    expect(payouts.reduce((sum, g) => sum + g.netMinor, 0)).toBe(all.filter((p) => p.settlementDate && ["paid", "partially_refunded", "refunded"].includes(p.status)).reduce((sum, p) => sum + (p.netMinor ?? 0), 0));
    expect(payouts.every((g) => g.currency === "KES" && g.provider === "ipay" && g.reported === false)).toBe(true);
  });

  it("pages through every undecided payment once, oldest first", async () => {
    const { rows: all } = await listPending(database.db, owner.merchant.id, undefined, 1000);
    const seen: string[] = [];
    let cursor: Parameters<typeof listPending>[2];
    do {
      const page = await listPending(database.db, owner.merchant.id, cursor, 3);
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((p) => p.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(all.map((p) => p.id));
    expect(all.length).toBeGreaterThan(3);
  });

  it("lists only this merchant's undecided payments and replays only its own deliveries", async () => {
    const { rows: pending } = await listPending(database.db, owner.merchant.id, undefined, 1000);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => ["created", "pending", "waiting_for_customer"].includes(p.status))).toBe(true);
    const autrePending = new Set((await listPending(database.db, autre.merchant.id, undefined, 1000)).rows.map((p) => p.id));
    expect(pending.some((p) => autrePending.has(p.id))).toBe(false);

    const target = pending[0]!;
    await database.db.insert(s.notifications).values([
      { id: "ntf_dash_1", provider: target.provider, merchantId: owner.merchant.id, paymentId: target.id, dedupeKey: "dash-1", verdict: "authenticated", body: "{}" },
      { id: "ntf_dash_2", provider: target.provider, merchantId: owner.merchant.id, paymentId: null, dedupeKey: "dash-2", verdict: "rejected", body: "{}" },
    ]);
    expect(await replayNotification(app.deps(), autre, { notificationId: "ntf_dash_1" })).toEqual({ ok: false, error: "not_found" });
    expect(await replayNotification(app.deps(), owner, { notificationId: "ntf_dash_2" })).toEqual({ ok: false, error: "not_replayable" });
    expect(await replayNotification(app.deps(), owner, {})).toEqual({ ok: false, error: "invalid_input" });
    // Kept without an encrypted copy of its request, it cannot be verified again: a plain check.
    const staffChecks = and(eq(s.paymentEvents.paymentId, target.id), eq(s.paymentEvents.type, "status_check"), eq(s.paymentEvents.actor, `user:${staff.user.id}`));
    const checksBefore = await database.db.$count(s.paymentEvents, staffChecks);
    expect(await replayNotification(app.deps(), staff, { notificationId: "ntf_dash_1" })).toEqual({ ok: true, verdict: "unreadable" });
    const replays = await database.db.select().from(s.paymentEvents).where(and(eq(s.paymentEvents.paymentId, target.id), eq(s.paymentEvents.type, "replay")));
    expect(replays).toEqual([expect.objectContaining({ actor: `user:${staff.user.id}`, data: expect.objectContaining({ notificationId: "ntf_dash_1", verdict: "unreadable" }) })]);
    expect(await database.db.$count(s.paymentEvents, staffChecks)).toBe(checksBefore + 1);

    const first = await listNotifications(database.db, owner.merchant.id, undefined, 1);
    expect(first.rows).toHaveLength(1);
    const second = await listNotifications(database.db, owner.merchant.id, first.next, 1);
    expect(second.rows.map((r) => r.id)).not.toContain(first.rows[0]!.id);
    expect([...first.rows, ...second.rows].map((r) => r.id).sort()).toEqual(["ntf_dash_1", "ntf_dash_2"]);
    expect((await listNotifications(database.db, autre.merchant.id)).rows.some((r) => r.id.startsWith("ntf_dash"))).toBe(false);
  });

  it("creates fixed and open payment links, and only their merchant can disable them", async () => {
    const fixed = await createLink(database.db, owner, { title: "Pagne wax", amount: "15 000" });
    const open = await createLink(database.db, staff, { title: "Acompte", amount: "" });
    expect(fixed.ok && open.ok).toBe(true);
    expect(await createLink(database.db, owner, { title: " ", amount: "12,5" })).toMatchObject({ ok: false, fieldErrors: { title: "title_required" } });
    expect(await createLink(database.db, owner, { title: "X", amount: "abc" })).toMatchObject({ ok: false, fieldErrors: { amount: "amount_invalid" } });
    // A fixed amount a provider of the store could not take is refused at the field, as a product's price is.
    const linksBefore = (await listLinks(database.db, owner.merchant.id)).length;
    for (const amount of ["1 002", "10", "5 000 000"]) {
      const refused = await createLink(database.db, owner, { title: "Impayable", amount });
      expect(refused, amount).toMatchObject({ ok: false, fieldErrors: { amount: expect.any(String) }, fieldMessages: { amount: { fr: expect.any(String), en: expect.any(String) } } });
    }
    expect(await listLinks(database.db, owner.merchant.id)).toHaveLength(linksBefore);
    const links = await listLinks(database.db, owner.merchant.id);
    expect(links.map((l) => [l.title, l.amountMinor, l.currency])).toEqual(expect.arrayContaining([["Pagne wax", 15000, "XOF"], ["Acompte", null, "XOF"]]));
    expect((await listLinks(database.db, autre.merchant.id)).some((l) => l.merchantId === owner.merchant.id)).toBe(false);

    // An open link's bounds: the merchant's, in the currency's units, in order; blank keeps the providers' limits.
    const bounded = await createLink(database.db, owner, { title: "Acompte borné", amount: "", min: "1 000", max: "50 000" });
    expect(bounded.ok).toBe(true);
    expect((await listLinks(database.db, owner.merchant.id)).find((l) => bounded.ok && l.id === bounded.id)).toMatchObject({ minAmountMinor: 1000, maxAmountMinor: 50000 });
    expect((await listLinks(database.db, owner.merchant.id)).find((l) => open.ok && l.id === open.id)).toMatchObject({ minAmountMinor: null, maxAmountMinor: null });
    expect(await createLink(database.db, owner, { title: "X", amount: "", min: "50 000", max: "1 000" })).toMatchObject({ ok: false, fieldErrors: { max: "bounds_order" } });
    expect(await createLink(database.db, owner, { title: "X", amount: "", min: "-5" })).toMatchObject({ ok: false, fieldErrors: { min: "amount_invalid" } });
    expect(await createLink(database.db, owner, { title: "X", amount: "", max: "5 000 000" })).toMatchObject({ ok: false, fieldErrors: { max: "above_providers" } });

    const id = fixed.ok ? fixed.id : "";
    expect(await setLinkActive(database.db, autre, { linkId: id, active: "false" })).toEqual({ ok: false, error: "not_found" });
    expect(await setLinkActive(database.db, owner, { linkId: id, active: "maybe" })).toEqual({ ok: false, error: "invalid_input" });
    expect(await setLinkActive(database.db, owner, { linkId: id, active: "false" })).toEqual({ ok: true });
    expect((await listLinks(database.db, owner.merchant.id)).find((l) => l.id === id)!.active).toBe(false);
    expect(linkUrl("https://caisse.example/", id)).toBe(`https://caisse.example/pay/${id}`);
    expect(whatsappShareUrl("Payez ici : https://x/pay/1")).toBe("https://wa.me/?text=Payez%20ici%20%3A%20https%3A%2F%2Fx%2Fpay%2F1");
  });

  it("saves provider settings for the owner only, credentials write-only and encrypted", async () => {
    const stored = async (merchantId: string) =>
      (await database.db.select().from(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, merchantId), eq(s.providerAccounts.provider, "cinetpay"))))[0]!;
    const before = await stored(owner.merchant.id);
    const form = { provider: "cinetpay", enabled: "on", mode: "sandbox", feeRate: "3", feeFixed: "25", settlementDelayDays: "3" };

    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, staff, form)).toEqual({ ok: false, error: "forbidden" });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, feeRate: "200", settlementDelayDays: "x" })).toMatchObject({
      ok: false,
      fieldErrors: { feeRate: "fee_rate_range", settlementDelayDays: "delay_invalid" },
    });
    // Blank credentials keep the stored ones.
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, form)).toEqual({ ok: true });
    const kept = await stored(owner.merchant.id);
    expect(kept).toMatchObject({ feeRateBps: 300, feeFixedMinor: 25, settlementDelayDays: 3, enabled: true, sandboxCredentialsEncrypted: before.sandboxCredentialsEncrypted });

    // One key retyped alone is merged over the stored set: the others are kept (a merchant
    // rotating their API key does not retype the site id and the secret).
    const partial = await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, sandbox_cred_apiKey: "new-key-123" });
    expect(partial).toEqual({ ok: true });
    const merged = decryptJson((await stored(owner.merchant.id)).sandboxCredentialsEncrypted!, TEST_ENCRYPTION_KEY);
    expect(merged).toEqual({ ...(decryptJson(before.sandboxCredentialsEncrypted!, TEST_ENCRYPTION_KEY) as Record<string, string>), apiKey: "new-key-123" });

    const full = { ...form, enabled: undefined, sandbox_cred_apiKey: "new-key-123", sandbox_cred_siteId: "999001", sandbox_cred_secretKey: "new-secret-456" };
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, full)).toEqual({ ok: true });
    const changed = await stored(owner.merchant.id);
    expect(changed.enabled).toBe(false);
    expect(changed.sandboxPublicId).toBe("999001");
    expect(changed.sandboxCredentialsEncrypted).not.toContain("new-secret-456");
    expect(decryptJson(changed.sandboxCredentialsEncrypted!, TEST_ENCRYPTION_KEY)).toEqual({ apiKey: "new-key-123", siteId: "999001", secretKey: "new-secret-456" });

    // autre's save touches autre's account, never demo's.
    const autreBefore = await stored(autre.merchant.id);
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, autre, { ...form, feeRate: "1,11" })).toEqual({ ok: true });
    expect((await stored(autre.merchant.id)).feeRateBps).toBe(111);
    expect((await stored(owner.merchant.id)).feeRateBps).toBe(300);
    expect((await stored(autre.merchant.id)).sandboxCredentialsEncrypted).toBe(autreBefore.sandboxCredentialsEncrypted);

    const listed = await listProviderAccounts(database.db, owner.merchant.id);
    expect(listed.length).toBe(4);
    expect(JSON.stringify(listed)).not.toMatch(/credentials|new-secret|new-key/i);
    expect(credentialFields("cinetpay")).toEqual(["apiKey", "siteId", "secretKey"]);
    expect(webhookUrl("https://caisse.example/", "orange-money", "demo")).toBe("https://caisse.example/api/webhooks/orange-money/demo");
    expect((await listMembers(database.db, owner.merchant.id)).map((m) => [m.email, m.role])).toEqual([
      ["owner@demo.test", "owner"],
      ["staff@demo.test", "staff"],
    ]);
  });
});
