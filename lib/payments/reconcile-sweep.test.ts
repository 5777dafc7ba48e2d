import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "@/db/client";
import * as s from "@/db/schema";
import { newId } from "@/lib/ids";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, merchantId, newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import type { PaymentDeps } from "./accounts";
import { getProvider } from "./registry";
import { CLAIM_LEASE_MS, MAX_DELIVERY_ATTEMPTS, sweep } from "./reconcile";
import { startPayment } from "./start";
import { rowsOf } from "@/db/rows";

const CINETPAY = seededCredentials("demo", "cinetpay");
const KKIAPAY = seededCredentials("demo", "kkiapay");
const UNDECIDED = ["created", "pending", "waiting_for_customer"] as const;
/** A sweep every 15 s: an account's share of one sweep is a quarter of its per-minute budget. */
const SWEEP = { sweepIntervalMs: 15_000 };

/** Provider calls made through one "instance", with their answers' HTTP statuses. */
function countingFetch() {
  const calls: { url: string; status: number }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    calls.push({ url: String(input), status: res.status });
    return res;
  };
  return { calls, fetch: fetchImpl };
}

describe.each(TEST_DATABASES)("reconciliation sweeps on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  /** A second app instance's own connection pool on the same database (PGlite has only one). */
  let second: Database;
  // Each test lives in its own hour, so budget windows never carry over between tests.
  let hour = 0;
  let T0: number;

  beforeAll(async () => {
    const jobs = world.database.jobsConnection;
    second = "connectionString" in jobs ? await createDatabase({ url: jobs.connectionString, poolMax: 5 }) : world.database;
  });
  afterAll(async () => {
    if (second !== world.database) await second?.close();
  });
  beforeEach(async () => {
    hour += 1;
    T0 = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + hour * 3_600_000 + 5_000;
    // Only what a test makes due is due (an undecided payment with no scheduled check is due too).
    await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(or(inArray(s.payments.status, [...UNDECIDED]), isNotNull(s.payments.nextCheckAt)));
    await world.database.db.update(s.notifications).set({ nextAttemptAt: new Date(T0 + 365 * 86_400_000) }).where(isNull(s.notifications.processedAt));
    // A test's clock may have run days ahead: its budget windows (kept, as a lagging instance's
    // clock never takes one back) must not count this test's calls.
    await world.database.db.delete(s.providerRateBudgets);
  });

  const instance = (database: Database, at: number, extra: Partial<PaymentDeps> = {}): PaymentDeps => ({
    ...world.app.deps(),
    db: database.db,
    now: () => new Date(at),
    ...extra,
  });

  async function started(provider: "cinetpay" | "kkiapay", count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const order = await newOrder(world.database, "demo", 1);
      const p = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider, method: provider === "kkiapay" ? "mtn" : "orange_money" });
      ids.push(p.paymentId);
    }
    return ids;
  }

  /** A check scheduled far beyond any test's clock: not due. */
  const parked = () => new Date(T0 + 365 * 86_400_000);
  const makeDue = (ids: string[], at: number) => world.database.db.update(s.payments).set({ nextCheckAt: new Date(at) }).where(inArray(s.payments.id, ids));
  const reconciliationChecks = async (paymentId: string) => (await eventsOf(world.database, paymentId)).filter((e) => e.type === "status_check" && e.actor === "reconciliation");

  it("two instances together stay within one account's status budget per minute", async () => {
    const limit = getProvider("cinetpay").capabilities.statusRatePerMinute!;
    const ids = await started("cinetpay", limit + 15);
    await makeDue(ids, T0 - 1_000);
    const a = countingFetch();
    const b = countingFetch();
    // Six rounds of both instances sweeping at once within one minute: each asks for its share every time.
    for (let round = 0; round < 6; round++) {
      const at = T0 + round * 5_000;
      await Promise.all([sweep(instance(world.database, at, { fetch: a.fetch }), SWEEP), sweep(instance(second, at, { fetch: b.fetch }), SWEEP)]);
    }
    expect(a.calls.length + b.calls.length).toBe(limit);
    expect(a.calls.length).toBeGreaterThan(0);
    expect(b.calls.length).toBeGreaterThan(0);

    // The next minute brings a new budget.
    for (let round = 0; round < 6; round++) {
      const at = T0 + 60_000 + round * 5_000;
      await Promise.all([sweep(instance(world.database, at, { fetch: a.fetch }), SWEEP), sweep(instance(second, at, { fetch: b.fetch }), SWEEP)]);
    }
    expect(a.calls.length + b.calls.length).toBeGreaterThan(limit);
    expect(a.calls.length + b.calls.length).toBeLessThanOrEqual(2 * limit);
  }, 60_000);

  it("calls claimed near a minute's end are not made in the next minute on top of that minute's own budget", async () => {
    const limit = getProvider("cinetpay").capabilities.statusRatePerMinute!;
    const ids = await started("cinetpay", 3 * limit);
    await makeDue(ids, T0 - 1_000);
    // Each provider call takes a second of this instance's clock; the provider counts calls per calendar minute.
    let clock = T0;
    const madeAt: number[] = [];
    const timed: typeof fetch = async (input, init) => {
      madeAt.push(clock);
      clock += 1_000;
      return fetch(input, init);
    };
    const deps = instance(world.database, T0, { fetch: timed, now: () => new Date(clock) });
    // Sweeps every 15 s from 5 s before a minute ends until that next minute's end.
    const next = Math.ceil((T0 + 1) / 60_000) * 60_000;
    for (let at = next - 5_000; at < next + 60_000; at += 15_000) {
      clock = Math.max(clock, at);
      await sweep(deps, SWEEP);
    }
    const inNextMinute = madeAt.filter((t) => t >= next && t < next + 60_000);
    expect(inNextMinute.length).toBeGreaterThan(limit / 2);
    expect(inNextMinute.length).toBeLessThanOrEqual(limit);
  }, 60_000);

  it("one merchant's backlog of 500 does not delay another merchant's due payment beyond one sweep", async () => {
    const [template] = await started("cinetpay", 1);
    const backlog = await world.database.db.execute(sql`
      insert into payments (id, order_id, merchant_id, provider_account_id, provider, mode, method, reference, amount_minor, currency, status, next_check_at)
      select 'pay_backlog_' || g, order_id, merchant_id, provider_account_id, provider, mode, method, 'BKLG' || ${hour} || 'N' || g, amount_minor, currency, 'pending', ${new Date(T0 - 3_600_000).toISOString()}::timestamptz + g * interval '1 millisecond'
      from payments, generate_series(1, 500) g where id = ${template!}
      returning id`);
    expect(rowsOf(backlog).length).toBe(500);
    await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(eq(s.payments.id, template!));

    // The other merchant's single payment on the same provider, due long after the backlog.
    const other = await newOrder(world.database, "autre", 1);
    const [account] = await world.database.db
      .select()
      .from(s.providerAccounts)
      .where(and(eq(s.providerAccounts.merchantId, await merchantId(world.database, "autre")), eq(s.providerAccounts.provider, "cinetpay")));
    const lone = newId("pay");
    await world.database.db.insert(s.payments).values({
      id: lone,
      orderId: other.id,
      merchantId: other.merchantId,
      providerAccountId: account!.id,
      provider: "cinetpay",
      mode: account!.mode,
      method: "orange_money",
      reference: `LONE${hour}${Date.now()}`,
      amountMinor: other.amountMinor,
      currency: other.currency,
      status: "pending",
      nextCheckAt: new Date(T0 - 1_000),
    });

    const result = await sweep(instance(world.database, T0), SWEEP);
    expect(result.payments).toContain(lone);
    expect(await reconciliationChecks(lone)).toHaveLength(1);
    // The backlog got its own share, oldest first, and no more.
    const share = Math.ceil(getProvider("cinetpay").capabilities.statusRatePerMinute! / 4);
    const backlogChecked = result.payments.filter((id) => id.startsWith("pay_backlog_"));
    expect(backlogChecked.sort()).toEqual(Array.from({ length: share }, (_, i) => `pay_backlog_${i + 1}`).sort());
  }, 60_000);

  it("a 429 with Retry-After pauses the account until then and pushes the payment's next check", async () => {
    const ids = await started("kkiapay", 3);
    // A transaction id to ask about, so that every check is a call; no window to close while the clock jumps ahead.
    for (const [i, id] of ids.entries()) {
      await world.database.db.update(s.payments).set({ providerReference: `TX${hour}x${i}x${Date.now()}`, expiresAt: null }).where(eq(s.payments.id, id));
    }
    await makeDue(ids, T0 - 1_000);
    const control = (body: unknown) => sandboxControl(world.app.url, "kkiapay", KKIAPAY.publicKey!, KKIAPAY.privateKey!, "faults", body);
    await control({ faults: { rateLimitPerMinute: 1 } });
    try {
      const counted = countingFetch();
      await sweep(instance(world.database, T0, { fetch: counted.fetch }), SWEEP);
      const statuses = counted.calls.map((c) => c.status);
      // One account, one check at a time: the first 429 is the last call of the sweep.
      expect(statuses.filter((st) => st === 429)).toHaveLength(1);
      expect(statuses.at(-1)).toBe(429);

      // The sandbox says Retry-After: 60.
      const pausedUntil = T0 + 60_000;
      const account = (await paymentRow(world.database, ids[0]!)).providerAccountId!;
      const [budget] = await world.database.db.select().from(s.providerRateBudgets).where(eq(s.providerRateBudgets.accountId, account));
      expect(budget!.pausedUntil?.getTime()).toBe(pausedUntil);
      // The payment that met the 429 and those not asked about yet wait for the pause's end.
      for (const id of ids) {
        const last = (await reconciliationChecks(id)).at(-1);
        if (last && last.data.error !== "rate_limited") continue;
        expect((await paymentRow(world.database, id)).nextCheckAt!.getTime()).toBeGreaterThanOrEqual(pausedUntil);
      }

      // Nothing is asked while the pause lasts, even of payments due again.
      await makeDue(ids, T0 + 10_000);
      const during = countingFetch();
      await sweep(instance(world.database, T0 + 30_000, { fetch: during.fetch }), SWEEP);
      expect(during.calls).toEqual([]);

      await control({ faults: {} });
      const after = countingFetch();
      await sweep(instance(world.database, pausedUntil + 1_000, { fetch: after.fetch }), SWEEP);
      expect(after.calls.length).toBe(3);
    } finally {
      await control({ faults: {} });
    }
  }, 60_000);

  it("a failing delivery is retried with growing gaps, then kept unprocessed and no longer retried", async () => {
    const [paymentId] = await started("cinetpay", 1);
    // Only the delivery is due: its own payment's check is not what this test is about.
    const payment = await paymentRow(world.database, paymentId!);
    await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(eq(s.payments.id, payment.id));
    const deliveryId = newId("ntf");
    await world.database.db.insert(s.notifications).values({
      id: deliveryId,
      provider: "cinetpay",
      merchantId: payment.merchantId,
      paymentId: payment.id,
      dedupeKey: `test:${deliveryId}`,
      verdict: "authenticated",
      attempts: 1,
      receivedAt: new Date(T0 - 60_000),
    });
    const delivery = async () => (await world.database.db.select().from(s.notifications).where(eq(s.notifications.id, deliveryId)))[0]!;
    const control = (body: unknown) => sandboxControl(world.app.url, "cinetpay", CINETPAY.siteId!, CINETPAY.secretKey!, "faults", body);
    await control({ faults: { statusApi: "5xx" } });
    try {
      const first = await sweep(instance(world.database, T0), SWEEP);
      expect(first.deliveries.map((d) => d.id)).toEqual([deliveryId]);
      const once = await delivery();
      expect(once.attempts).toBe(2);
      const firstGap = once.nextAttemptAt!.getTime() - T0;
      expect(firstGap).toBeGreaterThanOrEqual(CLAIM_LEASE_MS);

      // Not again before its time.
      expect((await sweep(instance(world.database, T0 + firstGap - 1_000), SWEEP)).deliveries).toEqual([]);
      expect((await delivery()).attempts).toBe(2);

      const secondAt = once.nextAttemptAt!.getTime();
      await sweep(instance(world.database, secondAt), SWEEP);
      const twice = await delivery();
      expect(twice.attempts).toBe(3);
      expect(twice.nextAttemptAt!.getTime() - secondAt).toBeGreaterThan(firstGap);

      // Each retry when it falls due, until the last attempt: the delivery stays, unprocessed, with its error.
      let last = twice;
      const gaveUp: string[] = [];
      while (last.attempts < MAX_DELIVERY_ATTEMPTS) {
        const result = await sweep(instance(world.database, last.nextAttemptAt!.getTime()), SWEEP);
        gaveUp.push(...result.gaveUp);
        last = await delivery();
      }
      expect(gaveUp).toEqual([deliveryId]);
      expect(last).toMatchObject({ attempts: MAX_DELIVERY_ATTEMPTS, verdict: "authenticated", processedAt: null });
      expect(last.lastError).toBeTruthy();
      expect((await sweep(instance(world.database, T0 + 30 * 86_400_000), SWEEP)).deliveries).toEqual([]);
      expect((await delivery()).attempts).toBe(MAX_DELIVERY_ATTEMPTS);
    } finally {
      await control({ faults: {} });
    }
  }, 60_000);

  it("a backlog of deliveries leaves the account's due checks part of every sweep", async () => {
    // After a provider outage, every delivery it answered during it waits for a retry: the
    // payments nobody notified must still be checked meanwhile, not after the whole backlog.
    const share = Math.ceil(getProvider("cinetpay").capabilities.statusRatePerMinute! / 4);
    const notified = await started("cinetpay", share + 2);
    const [scheduled] = await started("cinetpay", 1);
    // Only the deliveries of the notified ones are due, and the other payment's own check.
    await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(inArray(s.payments.id, notified));
    await makeDue([scheduled!], T0 - 1_000);
    for (const paymentId of notified) {
      const payment = await paymentRow(world.database, paymentId);
      const id = newId("ntf");
      await world.database.db.insert(s.notifications).values({
        id,
        provider: "cinetpay",
        merchantId: payment.merchantId,
        paymentId,
        dedupeKey: `test:${id}`,
        verdict: "authenticated",
        attempts: 1,
        receivedAt: new Date(T0 - 60_000),
        nextAttemptAt: new Date(T0 - 1_000),
      });
    }

    const result = await sweep(instance(world.database, T0), SWEEP);
    expect(result.payments).toEqual([scheduled]);
    expect(await reconciliationChecks(scheduled!)).toHaveLength(1);
    // Deliveries still come first: they take the rest of the share.
    expect(result.deliveries).toHaveLength(share - 1);
  }, 60_000);

  it("when the provider answers again, the work its outage pushed back is due at once, within the budget", async () => {
    const limit = getProvider("cinetpay").capabilities.statusRatePerMinute!;
    const [failingCheck, notified, fresh] = await started("cinetpay", 3);
    // A payment checked four times already, and deliveries retried four times, all due now.
    await world.database.db.update(s.payments).set({ checkAttempts: 4 }).where(eq(s.payments.id, failingCheck!));
    await makeDue([failingCheck!], T0 - 1_000);
    await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(inArray(s.payments.id, [notified!, fresh!]));
    const payment = await paymentRow(world.database, notified!);
    const deliveryIds = Array.from({ length: limit + 14 }, () => newId("ntf"));
    await world.database.db.insert(s.notifications).values(
      deliveryIds.map((id) => ({ id, provider: "cinetpay" as const, merchantId: payment.merchantId, paymentId: notified!, dedupeKey: `test:${id}`, verdict: "authenticated" as const, attempts: 4, receivedAt: new Date(T0 - 600_000), nextAttemptAt: new Date(T0 - 1_000) })),
    );
    const delivered = () => world.database.db.select().from(s.notifications).where(inArray(s.notifications.id, deliveryIds));
    const control = (body: unknown) => sandboxControl(world.app.url, "cinetpay", CINETPAY.siteId!, CINETPAY.secretKey!, "faults", body);
    await control({ faults: { statusApi: "5xx" } });
    try {
      // The outage: two sweeps' shares fail and back off by 15 s × 2⁵ = 8 minutes.
      await sweep(instance(world.database, T0), SWEEP);
      await sweep(instance(world.database, T0 + 15_000), SWEEP);
      const failed = (await delivered()).filter((d) => d.attempts === 5);
      expect(failed.length).toBeGreaterThan(1);
      for (const d of failed) expect(d.nextAttemptAt!.getTime()).toBeGreaterThan(T0 + 7 * 60_000);
      expect((await paymentRow(world.database, failingCheck!)).nextCheckAt!.getTime()).toBeGreaterThan(T0 + 7 * 60_000);

      // The provider answers again. The next minute, a scheduled check is due with the deliveries the outage's sweeps did not reach: they get their answers.
      await control({ faults: {} });
      const recovered = Math.ceil((T0 + 15_000) / 60_000) * 60_000;
      await makeDue([fresh!], recovered - 1_000);
      // Each call stamped with the minute of the sweep that made it.
      let clock = recovered;
      const minutes: number[] = [];
      const stamped: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        expect(res.status).toBe(200);
        minutes.push(Math.floor(clock / 60_000));
        return res;
      };
      const before = (await eventsOf(world.database, notified!)).filter((e) => e.type === "status_check").length;
      const first = await sweep(instance(world.database, recovered, { fetch: stamped }), SWEEP);
      expect(first.payments).toEqual([fresh]);
      await world.database.db.update(s.payments).set({ nextCheckAt: parked() }).where(eq(s.payments.id, fresh!));
      // What the outage pushed back is due now, not at its backoff.
      const waiting = (await delivered()).filter((d) => d.processedAt === null);
      expect(waiting.length).toBeGreaterThan(limit);
      for (const d of waiting) expect(d.nextAttemptAt!.getTime()).toBeLessThanOrEqual(recovered);
      expect((await paymentRow(world.database, failingCheck!)).nextCheckAt!.getTime()).toBeLessThanOrEqual(recovered);

      // Worked off within the account's budget: the first minute takes all of it, no minute more.
      for (clock = recovered + 15_000; clock < recovered + 180_000; clock += 15_000) await sweep(instance(world.database, clock, { fetch: stamped }), SWEEP);
      const perMinute = [0, 1, 2].map((m) => minutes.filter((x) => x === recovered / 60_000 + m).length);
      expect(perMinute[0]).toBe(limit);
      expect(Math.max(...perMinute)).toBeLessThanOrEqual(limit);
      // Each delivery processed once, and the payment whose check failed checked again.
      const rows = await delivered();
      expect(rows.filter((d) => d.processedAt === null)).toEqual([]);
      expect(rows.every((d) => d.attempts === 4 || d.attempts === 5)).toBe(true);
      expect((await eventsOf(world.database, notified!)).filter((e) => e.type === "status_check").length - before).toBe(deliveryIds.length);
      expect(await reconciliationChecks(failingCheck!)).toHaveLength(2);
    } finally {
      await control({ faults: {} });
    }
  }, 120_000);

  it("a claim left by an instance that died mid-check is taken again once its lease ends", async () => {
    const [paymentId] = await started("cinetpay", 1);
    await makeDue([paymentId!], T0 - 1_000);
    // The first instance hangs inside the provider call, as a killed process would stop there.
    let release: (error: Error) => void = () => {};
    const hung = new Promise<never>((_, reject) => (release = reject));
    const dying = sweep(instance(world.database, T0, { fetch: () => hung, timeouts: { initMs: 600_000, statusMs: 600_000 } }), SWEEP);
    await eventually(() => paymentRow(world.database, paymentId!), (p) => p.nextCheckAt?.getTime() === T0 + CLAIM_LEASE_MS);

    const counted = countingFetch();
    expect((await sweep(instance(second, T0 + CLAIM_LEASE_MS - 1_000, { fetch: counted.fetch }), SWEEP)).payments).toEqual([]);
    const taken = await sweep(instance(second, T0 + CLAIM_LEASE_MS, { fetch: counted.fetch }), SWEEP);
    expect(taken.payments).toEqual([paymentId]);
    expect(counted.calls).toHaveLength(1);
    expect(await reconciliationChecks(paymentId!)).toHaveLength(1);

    release(new Error("killed"));
    await dying;
  }, 60_000);

  it("work a slow sweep could not start while its claim was fresh is counted, logged and left to the lease", async () => {
    const ids = await started("cinetpay", 3);
    await makeDue(ids, T0 - 1_000);
    // Each provider call takes 20 s of this instance's clock.
    let clock = T0;
    const slow: typeof fetch = async (input, init) => {
      clock += 20_000;
      return fetch(input, init);
    };
    const result = await sweep(instance(world.database, T0, { fetch: slow, now: () => new Date(clock) }), SWEEP);
    expect(result.payments).toHaveLength(2);
    expect(result.stalled).toBe(1);
    const [left] = ids.filter((id) => !result.payments.includes(id));
    expect(await reconciliationChecks(left!)).toEqual([]);
    expect((await paymentRow(world.database, left!)).nextCheckAt!.getTime()).toBe(T0 + CLAIM_LEASE_MS);
    // Nobody else runs it before the lease ends; anybody may after.
    expect((await sweep(instance(second, T0 + CLAIM_LEASE_MS), SWEEP)).payments).toContain(left);
  }, 60_000);
});
