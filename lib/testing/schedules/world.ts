import { and, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import type { MerchantContext } from "@/lib/auth/membership";
import type { PaymentDeps } from "@/lib/payments/accounts";
import type { ProviderId } from "@/lib/payments/types";
import type { Faults } from "@/lib/sandbox/faults";
import { startAppHost } from "@/lib/testing/app-host";
import { startHost } from "@/lib/testing/http-host";
import { crashingDb } from "@/lib/testing/crashing-db";
import { TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { merchantId, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { feeRateText } from "@/lib/payments/fee-rate";
import type { FaultKind, Merchant } from "./steps";

/**
 * The world schedules run in: a seeded database, Caisse's routes and the four simulators on one
 * real HTTP port, one virtual clock for both, and the merchants' owners. Shared by every schedule
 * of a run (opening a database per schedule would cost most of the budget on PGlite): each
 * schedule creates its own orders and is judged on its own rows.
 */

/** Each step takes a virtual second, so the virtual clock stays ahead of the database's real one. */
export const STEP_MS = 1_000;

export type Clock = { at: number; now: () => Date };

/** The sandbox account a schedule's payments of each provider go through, and its control secret. */
const ACCOUNTS: Record<ProviderId, { merchant: Merchant; accountId: string; secret: string }> = (() => {
  const cp = seededCredentials("demo", "cinetpay");
  const om = seededCredentials("demo", "orange-money");
  const kk = seededCredentials("demo", "kkiapay");
  const ip = seededCredentials("autre", "ipay");
  return {
    cinetpay: { merchant: "demo", accountId: cp.siteId!, secret: cp.secretKey! },
    "orange-money": { merchant: "demo", accountId: om.merchantKey!, secret: om.clientSecret! },
    kkiapay: { merchant: "demo", accountId: kk.publicKey!, secret: kk.privateKey! },
    ipay: { merchant: "autre", accountId: ip.vendorId!, secret: ip.securityKey! },
  };
})();

/**
 * Every notification a simulator sends is held back (its dropNotification fault, which records
 * it in sandbox_deliveries): the schedule decides whether, when and how often each one reaches
 * Caisse, which is more than any provider's own faults can express.
 */
const CAPTURE: Faults = { dropNotification: true };

/**
 * A status answer without its money: the field whose absence the provider's adapter would not
 * notice by itself (KKiaPay's answer has no currency; iPay's search record without an amount is
 * unreadable anyway; Orange's has neither, so its fault changes nothing).
 */
const NO_MONEY: Record<ProviderId, Faults> = {
  cinetpay: { statusAnswerOmits: "amount" },
  "orange-money": {},
  kkiapay: { statusAnswerOmits: "amount" },
  ipay: { statusAnswerOmits: "currency" },
};

/** Ways of answering that are no outage: they outlast later faults and the healing, until the next schedule. */
const QUIRKS: Partial<Record<FaultKind, (provider: ProviderId) => Faults>> = {
  fractionalFees: () => ({ fractionalFees: true }),
  answersWithoutMoney: (provider) => NO_MONEY[provider],
};

const FAULTS: Record<Exclude<FaultKind, "noMoneyInAnswer" | "fractionalFees" | "answersWithoutMoney">, Faults> = {
  none: {},
  status5xx: { statusApi: "5xx" },
  statusTimeout: { statusApi: "timeout" },
  rateLimited: { rateLimitPerMinute: 1 },
  init5xx: { init: "5xx" },
  initTimeout: { init: "timeout" },
};

/**
 * A provider account's live keys, as its owner types them when going live: each sandbox value
 * reversed, so a call made with one set can be told from one made with the other (neither holds the other).
 */
export function liveCredentials(merchant: Merchant, provider: ProviderId): Record<string, string> {
  const account = SEED_MERCHANTS.find((m) => m.slug === merchant)!.accounts.find((a) => a.provider === provider)!;
  return Object.fromEntries(Object.entries(account.credentials).map(([field, value]) => [field, `${/^\d+$/.test(value) ? "9" : "l"}${[...value].reverse().join("")}`]));
}

/** A call Caisse made to the live stand-in. */
export type LiveCall = { provider: string; text: string };

/**
 * The live providers' stand-in: no live money exists in a schedule, so it records every call and
 * refuses it (401, as a provider refuses keys it does not know). Payments made live fail at their
 * start; what matters is what is asked of it, and with which keys (oracle.ts, modesKept).
 */
async function startLiveStandIn(calls: LiveCall[]) {
  return startHost(async (req) => {
    const url = new URL(req.url);
    const headers = [...req.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    calls.push({ provider: url.pathname.split("/")[1] ?? "", text: `${req.method} ${url.pathname}${url.search}\n${headers}\n${await req.text()}` });
    return Response.json({ code: "401", message: "live stand-in: no live account in schedules" }, { status: 401 });
  });
}

/**
 * A call reconciliation's sweep made to a simulator, as the simulator answered it, at the virtual
 * time it was made (the clock does not move during a sweep). Calls made for a shopper's return, a
 * webhook or a merchant's button are not reconciliation's and are not recorded.
 */
export type SweepCall = { provider: ProviderId; at: number; status: number | null; retryAfter: string | null };

/** Short provider timeouts: a status API that never answers costs the suite this much per call. */
const TIMEOUTS = { initMs: 1_500, statusMs: 800 };

export async function openScheduleWorld(database: Database) {
  await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  const clock: Clock = { at: Date.now(), now: () => new Date(clock.at) };
  const liveCalls: LiveCall[] = [];
  const live = await startLiveStandIn(liveCalls);
  const sweepCalls: SweepCall[] = [];
  const watch = { sweeping: false };
  // Caisse's calls to the providers, seen as they leave: the ones a sweep makes are kept (oracle.ts, paced).
  const watchingFetch: typeof fetch = async (input, init) => {
    const provider = sweepingProvider(watch.sweeping, String(input instanceof Request ? input.url : input));
    if (!provider) return fetch(input, init);
    const call: SweepCall = { provider, at: clock.at, status: null, retryAfter: null };
    sweepCalls.push(call);
    const res = await fetch(input, init);
    call.status = res.status;
    call.retryAfter = res.headers.get("retry-after");
    return res;
  };
  const app = await startAppHost(database, { now: clock.now, timeouts: TIMEOUTS, liveUrl: live.url, fetch: watchingFetch });
  const owners: Record<Merchant, MerchantContext> = {
    demo: await seededMerchantContext(database, "owner@demo.test"),
    autre: await seededMerchantContext(database, "owner@autre.test"),
  };
  const merchants: Record<Merchant, string> = { demo: await merchantId(database, "demo"), autre: await merchantId(database, "autre") };

  // Each provider's quirks in this schedule (QUIRKS), under whatever fault comes and goes.
  const quirks = new Map<ProviderId, Faults>();
  const setFaults = async (provider: ProviderId, kind: FaultKind) => {
    const account = ACCOUNTS[provider];
    const quirk = QUIRKS[kind]?.(provider);
    if (quirk) quirks.set(provider, { ...quirks.get(provider), ...quirk });
    const faults = kind === "noMoneyInAnswer" ? NO_MONEY[provider] : quirk ? {} : FAULTS[kind as keyof typeof FAULTS];
    await sandboxControl(app.url, provider, account.accountId, account.secret, "faults", { faults: { ...CAPTURE, ...faults, ...quirks.get(provider) } });
  };
  const providers = Object.keys(ACCOUNTS) as ProviderId[];

  return {
    database,
    app,
    live,
    liveCalls,
    sweepCalls,
    clock,
    /** Runs a reconciliation sweep with its provider calls recorded in sweepCalls. */
    async sweeping<T>(run: () => Promise<T>): Promise<T> {
      watch.sweeping = true;
      try {
        return await run();
      } finally {
        watch.sweeping = false;
      }
    },
    owners,
    merchants,
    setFaults,
    deps: (): PaymentDeps => app.deps(),
    /** The app's deps with a connection that dies after `after` statements (see crashingDb). */
    crashingDeps(after: number) {
      const crashing = crashingDb(database, after);
      return { deps: { ...app.deps(), db: crashing.db }, died: crashing.died };
    },
    /**
     * The owner switches the provider's account to live, typing its live keys, or back to sandbox,
     * through the settings form's own function. Payments keep the mode they were made in.
     */
    async switchMode(merchant: Merchant, provider: ProviderId, live: boolean) {
      const seeded = SEED_MERCHANTS.find((m) => m.slug === merchant)!.accounts.find((a) => a.provider === provider)!;
      const keys = live ? Object.fromEntries(Object.entries(liveCredentials(merchant, provider)).map(([field, value]) => [`live_cred_${field}`, value])) : {};
      const form = { provider, enabled: "on", mode: live ? "live" : "sandbox", feeRate: feeRateText(seeded.feeRateBps, "fr"), feeFixed: "0", settlementDelayDays: String(seeded.settlementDelayDays), ...keys };
      const saved = await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owners[merchant], form);
      if (!saved.ok) throw new Error(`switching ${merchant}'s ${provider} account to ${form.mode}: ${JSON.stringify(saved)}`);
    },
    /** Every provider healthy again (notifications still held back). */
    async heal() {
      for (const provider of providers) await setFaults(provider, "none");
    },
    /**
     * A schedule starts at the real time (rounded up to a minute) with healthy providers. Rate budgets and the simulators'
     * rate counters count per minute of the clock, which the previous schedule moved hours ahead:
     * they start afresh, as the next minute's would.
     */
    async begin() {
      // From the next calendar minute's start: where a schedule's steps fall in the providers' (and
      // the budgets') minutes is then the schedule's own, and a replay meets the same minutes.
      clock.at = Math.ceil(Date.now() / 60_000) * 60_000;
      await database.db.delete(s.providerRateBudgets);
      await database.db.delete(s.sandboxRateCounters);
      quirks.clear();
      liveCalls.length = 0;
      sweepCalls.length = 0;
      // The previous schedule's merchant may have gone live: every account starts in sandbox.
      await database.db.update(s.providerAccounts).set({ mode: "sandbox" });
      await this.heal();
    },
    /**
     * Once a schedule is judged, what its rows still have scheduled (an exception re-checked every
     * 30 minutes until a person acts, an iPay refund nobody can follow up) is moved past every
     * later schedule's horizon: the next schedule's reconciliation works on its own rows, as in a
     * world of its own. Nothing is changed before the verdict.
     */
    async retire(orderIds: string[]) {
      const ids = (await this.paymentsOf(orderIds)).map((p) => p.id);
      if (ids.length === 0) return;
      const far = new Date(Date.now() + 10 * 365 * 86_400_000);
      await database.db.update(s.payments).set({ nextCheckAt: far }).where(and(inArray(s.payments.id, ids), isNotNull(s.payments.nextCheckAt)));
      await database.db.update(s.notifications).set({ nextAttemptAt: far }).where(and(inArray(s.notifications.paymentId, ids), isNull(s.notifications.processedAt)));
      await database.db.update(s.refunds).set({ nextCheckAt: far }).where(and(inArray(s.refunds.paymentId, ids), isNotNull(s.refunds.nextCheckAt)));
    },
    /** The payments a schedule's orders hold, second collections the app created included. */
    async paymentsOf(orderIds: string[]) {
      return orderIds.length ? database.db.select().from(s.payments).where(inArray(s.payments.orderId, orderIds)) : [];
    },
  };
}

function sweepingProvider(sweeping: boolean, url: string): ProviderId | null {
  if (!sweeping) return null;
  const provider = new URL(url).pathname.split("/")[2];
  return provider && provider in ACCOUNTS ? (provider as ProviderId) : null;
}

export type ScheduleWorld = Awaited<ReturnType<typeof openScheduleWorld>>;
