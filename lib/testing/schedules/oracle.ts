import { and, eq, inArray, isNull, lt } from "drizzle-orm";
import * as s from "@/db/schema";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { checkLedger } from "@/lib/ledger/invariants";
import type { PaymentRow } from "@/lib/payments/handle";
import { loadException } from "@/lib/payments/exceptions";
import { MAX_DELIVERY_ATTEMPTS, MAX_PAUSE_MS } from "@/lib/payments/reconcile";
import { BUDGET_WINDOW_MS, budgetWindow } from "@/lib/payments/rate-budget";
import { getProvider } from "@/lib/payments/registry";
import { COLLECTED_AT_PROVIDER, providerTransactions, type ProviderTransaction } from "./owed";
import type { ScheduleState } from "./state";
import type { ScheduleWorld } from "./world";

/**
 * The verdict on a schedule, once reconciliation has run past its horizon: the ledger's own
 * invariants (lib/ledger, what `npm run ledger:check` runs in production), and what only the
 * providers know, asked of the simulators' own records (the ground truth Caisse never sees).
 * Returns what is wrong, in words; nothing when the schedule left the money right.
 */
export async function judge(world: ScheduleWorld, state: ScheduleState): Promise<string[]> {
  const found: string[] = [...state.unexpected];
  for (const v of await checkLedger(world.database.db)) found.push(`ledger: ${v.rule} (${v.count}): ${JSON.stringify(v.rows.slice(0, 3))}`);

  const payments = await world.paymentsOf(state.orders.map((o) => o.id));
  const txns = await providerTransactions(world, state);
  found.push(...collectedMoneyLands(state, payments, txns));
  found.push(...paidOnTheProvidersWord(payments, txns));
  found.push(...nothingLeftUndecided(payments));
  found.push(...modesKept(world, payments));
  found.push(...paced(world));
  if (payments.length === 0) return found;
  const ids = payments.map((p) => p.id);
  found.push(...(await refundsMatchTheProvider(world, payments, txns)));
  found.push(...(await paidOnce(world, ids)));
  found.push(...(await deliveriesProcessed(world, ids)));
  found.push(...(await rejectionsStand(world, state, ids)));
  found.push(...(await flagsActionable(world, payments)));
  return found;
}

const COLLECTED: readonly string[] = s.COLLECTED_STATUSES;
const collectedAt = (t: ProviderTransaction) => COLLECTED_AT_PROVIDER[t.provider].includes(t.status);
/** What the provider took from the shopper: iPay records what was actually paid (less, more). */
const amountTaken = (t: ProviderTransaction) => (t.provider === "ipay" ? Number((t.state as { paidMinor?: number }).paidMinor ?? 0) : t.amountMinor);
/** Orange's DEV environment takes only its test currency, OUV, which stands for the merchant's (XOF here). */
const currencyOf = (t: ProviderTransaction) => (t.provider === "orange-money" && t.currency === "OUV" ? "XOF" : t.currency);
/** A payment a person has to look at (open), or looked at (resolved): either way not silently lost. */
const isException = (p: PaymentRow) => p.flag !== null;
const describe = (p: PaymentRow) => `${p.id} (${p.provider}, ${p.status}${p.flag ? `, ${p.flag}` : ""})`;

function ownerOf(t: ProviderTransaction, payments: PaymentRow[]): PaymentRow | undefined {
  return t.provider === "kkiapay"
    ? payments.find((p) => p.provider === "kkiapay" && p.providerReference === t.token)
    : payments.find((p) => p.provider === t.provider && p.reference === t.merchantReference);
}

/**
 * Money lands on a collected payment ("never stays on a cancelled one", issue 12). The only other
 * place for it is a person's desk: an exception on a payment still undecided, or on one whose
 * money disagrees with ours (an amount or currency the order never asked for), or one a person
 * has since resolved. Money that agrees with the order, on a cancelled, expired or failed payment,
 * is lost, flagged or not, unless the provider's answers never stated it (silentOnMoney): its word
 * cannot collect anything, and a flag is all Caisse can give.
 */
function landed(p: PaymentRow, t: ProviderTransaction, silentOnMoney: boolean): boolean {
  if (COLLECTED.includes(p.status) || p.flagResolvedAt !== null) return true;
  if (silentOnMoney && isException(p)) return true;
  const agrees = amountTaken(t) === p.amountMinor && currencyOf(t) === p.currency;
  return isException(p) && ((s.UNDECIDED_STATUSES as readonly string[]).includes(p.status) || !agrees);
}

/** Every transaction the provider collected, that Caisse could know of, is paid in Caisse or an exception: never expired, cancelled or pending. */
function collectedMoneyLands(state: ScheduleState, payments: PaymentRow[], txns: ProviderTransaction[]): string[] {
  const found: string[] = [];
  for (const t of txns.filter((t) => collectedAt(t) && state.owed.has(t.id))) {
    const owner = ownerOf(t, payments);
    const what = `${t.provider} collected ${amountTaken(t)} ${currencyOf(t)} (${t.token}, ${t.status})`;
    if (owner) {
      if (!landed(owner, t, state.silentOnMoney.has(t.provider))) found.push(`${what}, but Caisse left ${describe(owner)}`);
      continue;
    }
    // A KKiaPay transaction naming our payment, with its money, that no payment holds (a second collection dropped).
    const claimed = (t.state as { stateData?: unknown }).stateData;
    const named = payments.find((p) => p.reference === claimed);
    // Test money on an account gone live is held by the payment's sandbox_payment exception, by design (issue 12 item 11).
    const testMoney = named?.flag === "sandbox_payment";
    if (named && amountTaken(t) === named.amountMinor && !testMoney && !(state.silentOnMoney.has(t.provider) && isException(named))) found.push(`${what} for ${named.reference}, and no payment holds it (${describe(named)})`);
  }
  return found;
}

/** No payment is collected without the provider's word that it took exactly that money, in that currency. */
function paidOnTheProvidersWord(payments: PaymentRow[], txns: ProviderTransaction[]): string[] {
  const found: string[] = [];
  for (const p of payments.filter((p) => COLLECTED.includes(p.status))) {
    const t = txns.find((t) => (p.provider === "kkiapay" ? t.provider === "kkiapay" && t.token === p.providerReference : t.provider === p.provider && t.merchantReference === p.reference));
    if (!t || !collectedAt(t)) {
      found.push(`${describe(p)} is collected in Caisse but its provider collected nothing for it (${t ? t.status : "no transaction"})`);
      continue;
    }
    const taken = amountTaken(t);
    if (currencyOf(t) !== p.currency || taken !== (p.paidAmountMinor ?? p.amountMinor)) {
      found.push(`${describe(p)} is collected for ${p.paidAmountMinor ?? p.amountMinor} ${p.currency}; the provider took ${taken} ${currencyOf(t)}`);
    } else if (taken !== p.amountMinor && !isException(p)) {
      found.push(`${describe(p)} costs ${p.amountMinor} and the provider took ${taken}, unflagged`);
    }
  }
  return found;
}

/** Past the horizon nothing is undecided, unless a person has it in the Exceptions queue. */
function nothingLeftUndecided(payments: PaymentRow[]): string[] {
  // Live payments are asked about at the live stand-in only, which refuses everything (modesKept judges them).
  return payments.filter((p) => p.mode === "sandbox").filter((p) => (s.UNDECIDED_STATUSES as readonly string[]).includes(p.status) && !isException(p)).map((p) => `${describe(p)} is still undecided past the reconciliation horizon`);
}

const SANDBOX_SECRETS = SEED_MERCHANTS.flatMap((m) => m.accounts.flatMap((a) => Object.values(a.credentials)));

/**
 * Issue 12 item 11: a payment is asked about in the mode it was made in, with that mode's keys.
 * Nothing made in sandbox is ever named to the live stand-in, no sandbox key ever reaches it, and
 * no live payment collects anything (no live money exists in a schedule). Sandbox payments asked
 * at live instead of the simulator would also stay undecided (nothingLeftUndecided).
 */
function modesKept(world: ScheduleWorld, payments: PaymentRow[]): string[] {
  const found: string[] = [];
  for (const call of world.liveCalls) {
    const named = payments.find((p) => p.mode === "sandbox" && [p.reference, p.providerReference, p.providerToken].some((id) => id && call.text.includes(id)));
    if (named) found.push(`${describe(named)}, made in sandbox, was asked about at live ${call.provider}: ${call.text.split("\n")[0]}`);
    if (SANDBOX_SECRETS.some((secret) => call.text.includes(secret))) found.push(`a sandbox key was sent to live ${call.provider}: ${call.text.split("\n")[0]}`);
  }
  for (const p of payments.filter((p) => p.mode === "live" && COLLECTED.includes(p.status))) found.push(`${describe(p)}, made live, is collected, and no live money exists`);
  return found;
}

/**
 * Refunds never exceed what was collected (the ledger checks Caisse's side), and each one made at
 * the provider is one Caisse recorded: a KKiaPay revert is a refund Caisse holds, and no
 * refund Caisse calls made exists only in Caisse.
 */
async function refundsMatchTheProvider(world: ScheduleWorld, payments: PaymentRow[], txns: ProviderTransaction[]): Promise<string[]> {
  const refunds = await world.database.db.select().from(s.refunds).where(inArray(s.refunds.paymentId, payments.map((p) => p.id)));
  const found: string[] = [];
  for (const p of payments) {
    const mine = refunds.filter((r) => r.paymentId === p.id && r.kind === "api");
    const made = mine.filter((r) => r.status === "succeeded").reduce((sum, r) => sum + r.amountMinor, 0);
    const maybe = mine.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amountMinor, 0);
    const t = txns.find((t) => (p.provider === "kkiapay" ? t.token === p.providerReference : t.provider === p.provider && t.merchantReference === p.reference));
    if (!t || (p.provider !== "kkiapay" && p.provider !== "ipay")) continue;
    const atProvider =
      p.provider === "kkiapay"
        ? t.status === "REVERTED"
          ? t.amountMinor
          : 0
        : ((t.state as { refunds?: { amountMinor: number }[] }).refunds ?? []).reduce((sum, r) => sum + r.amountMinor, 0);
    if (atProvider < made) found.push(`${describe(p)}: Caisse says ${made} was refunded through ${p.provider}, which refunded ${atProvider}`);
    if (atProvider > maybe) found.push(`${describe(p)}: ${p.provider} refunded ${atProvider}, Caisse holds refunds of ${maybe}`);
  }
  return found;
}

/** A payment enters "paid" once: money is never counted twice (the ledger checks the chain of transitions). */
async function paidOnce(world: ScheduleWorld, ids: string[]): Promise<string[]> {
  const rows = await world.database.db
    .select({ paymentId: s.paymentEvents.paymentId })
    .from(s.paymentEvents)
    .where(and(inArray(s.paymentEvents.paymentId, ids), eq(s.paymentEvents.type, "transition"), eq(s.paymentEvents.toStatus, "paid")));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.paymentId, (counts.get(r.paymentId) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} became paid ${n} times`);
}

/** Every delivery Caisse accepted has been processed by the horizon (none given up on in a schedule's few hours). */
async function deliveriesProcessed(world: ScheduleWorld, ids: string[]): Promise<string[]> {
  const n = s.notifications;
  const stuck = await world.database.db
    .select({ id: n.id, paymentId: n.paymentId, attempts: n.attempts, lastError: n.lastError })
    .from(n)
    .where(and(inArray(n.paymentId, ids), isNull(n.processedAt), inArray(n.verdict, ["authenticated", "unverifiable"]), lt(n.attempts, MAX_DELIVERY_ATTEMPTS)));
  return stuck.map((d) => `delivery ${d.id} of ${d.paymentId} is unprocessed past the horizon (${d.attempts} attempts, ${d.lastError ?? "no error"})`);
}

/** The delivery log is history: what was rejected when it arrived stays rejected, whatever is replayed. */
async function rejectionsStand(world: ScheduleWorld, state: ScheduleState, ids: string[]): Promise<string[]> {
  const n = s.notifications;
  const rows = await world.database.db.select({ id: n.id, verdict: n.verdict }).from(n).where(inArray(n.paymentId, ids));
  return rows.filter((r) => state.rejected.has(r.id) && r.verdict !== "rejected").map((r) => `delivery ${r.id} was rejected when it arrived and is now ${r.verdict}`);
}

/** Notes the deliveries Caisse rejected on arrival, after each step (rejectionsStand holds them to it). */
export async function noteRejections(world: ScheduleWorld, state: ScheduleState): Promise<void> {
  const ids = (await world.paymentsOf(state.orders.map((o) => o.id))).map((p) => p.id);
  if (ids.length === 0) return;
  const n = s.notifications;
  const rows = await world.database.db.select({ id: n.id }).from(n).where(and(inArray(n.paymentId, ids), eq(n.verdict, "rejected")));
  for (const r of rows) state.rejected.add(r.id);
}

/**
 * Issue 12 item 10: reconciliation calls a provider at the pace the provider allows. After a 429
 * it calls that account no more until the Retry-After has passed (without one, until the
 * provider's minute is over; a bogus one is capped at MAX_PAUSE_MS), and its calls to an account in
 * any calendar minute stay within the adapter's statusRatePerMinute. Only the sweeps' calls count:
 * a shopper's return or a webhook asks the provider on its own, unbudgeted. (Every account of a
 * provider in a schedule is one sandbox account.)
 */
function paced(world: ScheduleWorld): string[] {
  const found: string[] = [];
  const calls = world.sweepCalls;
  for (const [i, limited] of calls.entries()) {
    if (limited.status !== 429) continue;
    const asked = limited.retryAfter !== null && /^\d+$/.test(limited.retryAfter) ? Number(limited.retryAfter) * 1000 : null;
    const until = limited.at + Math.min(Math.max(asked ?? budgetWindow(new Date(limited.at)).getTime() + BUDGET_WINDOW_MS - limited.at, 1000), MAX_PAUSE_MS);
    const early = calls.slice(i + 1).find((c) => c.provider === limited.provider && c.at < until);
    if (early) found.push(`${limited.provider} answered 429 (Retry-After ${limited.retryAfter ?? "none"}) and reconciliation called it again ${((early.at - limited.at) / 1000).toFixed(0)} s later`);
  }
  const perMinute = new Map<string, number>();
  for (const c of calls) {
    const key = `${c.provider} ${budgetWindow(new Date(c.at)).toISOString()}`;
    perMinute.set(key, (perMinute.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perMinute) {
    const provider = key.split(" ")[0] as PaymentRow["provider"];
    const budget = getProvider(provider).capabilities.statusRatePerMinute ?? 60;
    if (n > budget) found.push(`reconciliation called ${key.replace(" ", " in the minute of ")} ${n} times, over its budget of ${budget}`);
  }
  return found;
}

/**
 * Issue 12 item 5: a flag is never a dead end. A flagged payment still open is in the merchant's
 * Exceptions queue with at least one thing the merchant can do about it; one that is closed says
 * who closed it and how (flagResolution), with the decision's event in its history.
 */
async function flagsActionable(world: ScheduleWorld, payments: PaymentRow[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of payments.filter((p) => p.flag !== null)) {
    if (p.flagResolvedAt === null) {
      const view = await loadException(world.database.db, p.merchantId, p.id);
      if (!view || view.offers.length === 0) found.push(`${describe(p)} is flagged and its exception offers the merchant nothing to do`);
      continue;
    }
    const decided = await world.database.db.$count(s.paymentEvents, and(eq(s.paymentEvents.paymentId, p.id), eq(s.paymentEvents.type, "exception")));
    if (!p.flagResolution || decided === 0) found.push(`${describe(p)}'s exception was closed with no recorded decision (${p.flagResolution ?? "no resolution"}, ${decided} decision events)`);
  }
  return found;
}
