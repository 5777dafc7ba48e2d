import { randomInt } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { merchants, sandboxTransactions } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { SandboxDeps } from "@/lib/sandbox/types";
import type { WidgetConfig } from "./schemas";

/** KKiaPay's own statuses, as its status API spells them. */
export type KkiapayStatus = "SUCCESS" | "FAILED" | "PENDING" | "REVERTED";

export type KkiapayTransaction = typeof sandboxTransactions.$inferSelect;

/** Provider-side state kept in sandbox_transactions.state. */
export type KkiapayState = {
  performedAt?: string;
  failureCode?: string | null;
  failureMessage?: string | null;
  /** The widget's `data`, as given (string or object): stateData in webhooks, `state` in the status API. */
  stateData?: string | Record<string, unknown> | null;
  partnerId?: string;
  source?: "MOBILE_MONEY" | "CARD";
  /** ISO country of the merchant's account, as the verify object reports it. */
  country?: string;
  revertedAt?: string;
  lang?: string;
};

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Real transaction ids are short opaque strings such as "LVFNrK1nx". */
export function newTransactionId(): string {
  let id = "";
  for (let i = 0; i < 9; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function stateOf(txn: KkiapayTransaction): KkiapayState {
  return txn.state as KkiapayState;
}

export async function findTransaction(deps: SandboxDeps, transactionId: string): Promise<KkiapayTransaction | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "kkiapay"), eq(sandboxTransactions.token, transactionId)));
  return row ?? null;
}

/**
 * KKiaPay does not require `data` to be unique (a shopper may retry in the widget), but our
 * table keys transactions by merchant reference: later attempts get "<data>#2", "#3"… there,
 * while the status API and webhooks keep echoing the raw data.
 */
async function freeReference(deps: SandboxDeps, accountId: string, base: string): Promise<string> {
  const rows = await deps.db
    .select({ ref: sandboxTransactions.merchantReference })
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "kkiapay"), eq(sandboxTransactions.accountId, accountId), like(sandboxTransactions.merchantReference, `${base.replace(/[%_\\]/g, "\\$&")}%`)));
  const taken = new Set(rows.map((r) => r.ref));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}#${n}`)) n++;
  return `${base}#${n}`;
}

export async function createTransaction(
  deps: SandboxDeps,
  input: {
    accountId: string;
    config: WidgetConfig;
    status: KkiapayStatus;
    operator: string;
    phone: string | null;
    feeMinor: number;
    state: KkiapayState;
    faults: Record<string, unknown>;
  },
): Promise<KkiapayTransaction> {
  const transactionId = newTransactionId();
  const base = typeof input.config.data === "string" && input.config.data ? input.config.data : input.config.data ? JSON.stringify(input.config.data) : transactionId;
  const [row] = await deps.db
    .insert(sandboxTransactions)
    .values({
      id: newId("sbx"),
      provider: "kkiapay",
      accountId: input.accountId,
      merchantReference: await freeReference(deps, input.accountId, base),
      token: transactionId,
      amountMinor: input.config.amount,
      currency: "XOF",
      status: input.status,
      method: input.operator,
      phone: input.phone,
      providerTransactionId: externalId(deps),
      feeMinor: input.feeMinor,
      request: { ...input.config },
      state: input.state,
      faults: input.faults,
    })
    .returning();
  return row!;
}

/**
 * Moves a transaction from `from` to `to` only if nobody else did first (a double revert, or a
 * pending payment confirmed twice): null when the row was no longer in `from`.
 */
export async function transition(
  deps: SandboxDeps,
  txn: KkiapayTransaction,
  from: KkiapayStatus,
  to: KkiapayStatus,
  state: KkiapayState,
): Promise<KkiapayTransaction | null> {
  const [row] = await deps.db
    .update(sandboxTransactions)
    .set({ status: to, state: { ...stateOf(txn), ...state } })
    .where(and(eq(sandboxTransactions.id, txn.id), eq(sandboxTransactions.status, from)))
    .returning();
  return row ?? null;
}

/** The operator's own reference (externalTransactionId), shaped like a mobile-money receipt. */
function externalId(deps: SandboxDeps): string {
  const now = deps.now?.() ?? new Date();
  const stamp = now.toISOString().slice(2, 16).replace(/[-:T]/g, "");
  return `MP${stamp}.${String(randomInt(100_000)).padStart(5, "0")}`;
}

/** The merchant behind a sandbox account: its slug (default webhook URL) and country (operator names). */
export async function merchantOf(deps: SandboxDeps, merchantId: string): Promise<{ slug: string; country: string } | null> {
  const [row] = await deps.db.select({ slug: merchants.slug, country: merchants.country }).from(merchants).where(eq(merchants.id, merchantId));
  return row ?? null;
}
