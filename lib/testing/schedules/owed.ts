import { and, eq, inArray, or } from "drizzle-orm";
import * as s from "@/db/schema";
import type { ProviderId } from "@/lib/payments/types";
import type { ScheduleState } from "./state";
import type { ScheduleWorld } from "./world";

/**
 * Which money Caisse owes a decision on. A provider's transaction that collected money is owed
 * once Caisse could know of it: its final notification reached Caisse, or it was collected, or the
 * shopper came back from paying it, while Caisse was still asking about the payment (undecided,
 * or a late check to come). Money paid at a provider after Caisse stopped asking, that nobody but
 * the shopper's return tells Caisse about, is not: Caisse does not ask about an attempt on a
 * return once it has stopped asking (returns.ts; KKiaPay cannot even be searched by reference).
 */

/** What each simulator calls a transaction that took the shopper's money (refunded later or not). */
export const COLLECTED_AT_PROVIDER: Record<ProviderId, readonly string[]> = {
  cinetpay: ["ACCEPTED"],
  "orange-money": ["SUCCESS"],
  kkiapay: ["SUCCESS", "REVERTED"],
  ipay: ["paid", "less", "more", "refunded", "partially_refunded"],
};

export type ProviderTransaction = typeof s.sandboxTransactions.$inferSelect;

/** KKiaPay transactions by their id (many per payment); the others by our reference (one per payment). */
export type TransactionKey = { provider: "kkiapay"; token: string } | { provider: Exclude<ProviderId, "kkiapay">; reference: string };

/** Caisse still asks about this payment: it is undecided, or a late check is to come. */
export const stillAsking = (p: { status: string; nextCheckAt: Date | null }) => (s.UNDECIDED_STATUSES as readonly string[]).includes(p.status) || p.nextCheckAt !== null;

const collected = (t: ProviderTransaction) => COLLECTED_AT_PROVIDER[t.provider].includes(t.status);

/** Marks the transaction owed if it has collected by now (its word reached Caisse just now). */
export async function markOwed(world: ScheduleWorld, state: ScheduleState, key: TransactionKey): Promise<void> {
  const t = s.sandboxTransactions;
  const [txn] = await world.database.db
    .select()
    .from(t)
    .where(and(eq(t.provider, key.provider), "token" in key ? eq(t.token, key.token) : eq(t.merchantReference, key.reference)));
  if (txn && collected(txn)) state.owed.add(txn.id);
}

/** The provider's transactions of a schedule: those of its payments' references, and the KKiaPay ones opened during it. */
export async function providerTransactions(world: ScheduleWorld, state: ScheduleState): Promise<ProviderTransaction[]> {
  const t = s.sandboxTransactions;
  const references = state.attempts.filter((a) => a.option.provider !== "kkiapay").map((a) => a.reference);
  const tokens = [...state.strays.map((x) => x.transactionId), ...state.attempts.flatMap((a) => a.widgetTransactions)];
  if (references.length + tokens.length === 0) return [];
  return world.database.db
    .select()
    .from(t)
    .where(
      or(
        references.length ? and(inArray(t.provider, ["cinetpay", "orange-money", "ipay"]), inArray(t.merchantReference, references)) : undefined,
        tokens.length ? and(eq(t.provider, "kkiapay"), inArray(t.token, tokens)) : undefined,
      ),
    );
}

/**
 * After each step: a transaction that has just collected, while Caisse was still asking about its
 * payment, is owed. For KKiaPay, Caisse can only ask about a transaction it is bound to.
 */
export async function watchCollections(world: ScheduleWorld, state: ScheduleState): Promise<void> {
  const fresh = (await providerTransactions(world, state)).filter((t) => collected(t) && !state.seenCollected.has(t.id));
  if (fresh.length === 0) return;
  const payments = await world.paymentsOf(state.orders.map((o) => o.id));
  for (const t of fresh) {
    state.seenCollected.add(t.id);
    const payment = payments.find((p) => (t.provider === "kkiapay" ? p.provider === "kkiapay" && p.providerReference === t.token : p.provider === t.provider && p.reference === t.merchantReference));
    if (payment && stillAsking(payment)) state.owed.add(t.id);
  }
}
