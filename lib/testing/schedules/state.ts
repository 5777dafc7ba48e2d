import { and, asc, eq, gt, sql } from "drizzle-orm";
import * as s from "@/db/schema";
import type { NextAction, ProviderId } from "@/lib/payments/types";
import { backgroundSettled } from "@/lib/sandbox/deliver";
import type { FaultKind, Merchant, Option } from "./steps";
import type { ScheduleWorld } from "./world";

/** Where the shopper's browser goes next if the tab stays open: a provider's redirect (or form post) back to Caisse. */
export type Browser = { url: string; method: "GET" | "POST"; form?: Record<string, string> };

/** One payment the shopper started (a checkout or a retry). */
export type Attempt = {
  paymentId: string;
  orderId: string;
  reference: string;
  amountMinor: number;
  option: Option;
  /** What the start answered; null when the provider refused or never answered. */
  action: NextAction | null;
  browser?: Browser;
  /** KKiaPay transactions opened in this payment's widget, the latest last. */
  widgetTransactions: string[];
  /** The latest widget transaction was left pending on the phone (a widget closed now passes its id). */
  promptPending?: boolean;
};

export type Order = { id: string; merchant: Merchant; amountMinor: number };

/** A notification a simulator sent and the schedule holds: delivered when, and as often as, steps say. */
export type Captured = { id: number; provider: ProviderId; reference: string; url: string; method: string; headers: Record<string, string>; body: string; sent: number };

export type ScheduleState = {
  orders: Order[];
  attempts: Attempt[];
  captured: Captured[];
  /** KKiaPay transactions opened without our reference (or with another amount), by someone at the widget. */
  strays: { transactionId: string; amountMinor: number }[];
  lastDeliveryId: number;
  /** Provider transactions (sandbox ids) whose money Caisse owes a decision on (owed.ts). */
  owed: Set<string>;
  /** Provider transactions already seen collected (owed.ts watches for new ones after each step). */
  seenCollected: Set<string>;
  /** Deliveries Caisse rejected when they arrived: they must stay rejected. */
  rejected: Set<string>;
  /** The fault each provider's account is under now (the fault steps' last word). */
  faults: Partial<Record<ProviderId, FaultKind>>;
  /** Providers whose status answers leave out the money all along (answersWithoutMoney): their word never proves what was paid. */
  silentOnMoney: Set<ProviderId>;
  /** Broken promises seen while steps ran (a 5xx to a provider, an error no caller expects). */
  unexpected: string[];
  trace: string[];
  executed: number;
  skipped: number;
};

export async function newState(world: ScheduleWorld): Promise<ScheduleState> {
  // Only what this schedule's steps make the simulators send is its to deliver.
  const [last] = await world.database.db.select({ id: sql<number>`coalesce(max(${s.sandboxDeliveries.id}), 0)`.mapWith(Number) }).from(s.sandboxDeliveries);
  return { orders: [], attempts: [], captured: [], strays: [], lastDeliveryId: last?.id ?? 0, owed: new Set(), seenCollected: new Set(), rejected: new Set(), faults: {}, silentOnMoney: new Set(), unexpected: [], trace: [], executed: 0, skipped: 0 };
}

/** The pool's element a step's number names, or nothing when the pool is empty. */
export function pick<T>(pool: readonly T[], n: number): T | undefined {
  return pool.length ? pool[n % pool.length] : undefined;
}

const WEBHOOK_PATH = /\/api\/webhooks\/([^/]+)\/([^/?]+)/;

/**
 * Takes in what the simulators sent since the last look (held back by the capture fault), once
 * their background sends are done. CinetPay's bodiless GET ping says nothing and is left out.
 */
export async function collectNotifications(world: ScheduleWorld, state: ScheduleState): Promise<void> {
  await backgroundSettled();
  const rows = await world.database.db
    .select({ delivery: s.sandboxDeliveries, reference: s.sandboxTransactions.merchantReference })
    .from(s.sandboxDeliveries)
    .innerJoin(s.sandboxTransactions, eq(s.sandboxTransactions.id, s.sandboxDeliveries.transactionId))
    .where(and(gt(s.sandboxDeliveries.id, state.lastDeliveryId), eq(s.sandboxDeliveries.error, "dropped (fault)")))
    .orderBy(asc(s.sandboxDeliveries.id));
  for (const { delivery: row, reference } of rows) {
    state.lastDeliveryId = Math.max(state.lastDeliveryId, row.id);
    const provider = WEBHOOK_PATH.exec(row.url)?.[1] as ProviderId | undefined;
    if (!provider || (row.method === "GET" && !new URL(row.url).search)) continue;
    state.captured.push({ id: row.id, provider, reference, url: row.url, method: row.method, headers: row.headers, body: row.body, sent: 0 });
  }
}
