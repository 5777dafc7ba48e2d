import { and, eq } from "drizzle-orm";
import { sandboxTransactions } from "@/db/schema";
import type { SandboxDeps } from "@/lib/sandbox/types";

export type Txn = typeof sandboxTransactions.$inferSelect;

/** CinetPay's side of a payment: CREATED until the shopper acts, then WAITING_FOR_CUSTOMER and/or a final status. */
export type CinetpayStatus = "CREATED" | "WAITING_FOR_CUSTOMER" | "ACCEPTED" | "REFUSED";

/** What the simulator keeps in sandbox_transactions.state (jsonb). */
export type TxnState = {
  code: string;
  message: string;
  /** Amount exactly as received (major units); what check and notifications echo, as a string. */
  wireAmount: number;
  /** The opaque `signature` field of the notifications (unrelated to x-token). */
  signature: string;
  merchantName: string;
  paidAt?: string;
  /** A WAITING_FOR_CUSTOMER notification held back to be sent after the final one (outOfOrder). */
  deferred?: { url: string; method: "POST"; headers: Record<string, string>; body: string }[];
};

export const PROVIDER = "cinetpay" as const;

export function stateOf(txn: Txn): TxnState {
  return txn.state as TxnState;
}

export async function insertTxn(deps: SandboxDeps, values: typeof sandboxTransactions.$inferInsert): Promise<Txn> {
  const [row] = await deps.db.insert(sandboxTransactions).values(values).returning();
  return row!;
}

export async function findByReference(deps: SandboxDeps, accountId: string, reference: string): Promise<Txn | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, PROVIDER), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.merchantReference, reference)));
  return row ?? null;
}

export async function findByToken(deps: SandboxDeps, token: string): Promise<Txn | null> {
  const [row] = await deps.db.select().from(sandboxTransactions).where(and(eq(sandboxTransactions.provider, PROVIDER), eq(sandboxTransactions.token, token)));
  return row ?? null;
}

/**
 * Moves a transaction on only from the status the caller saw, so a double-submitted form or two
 * tabs cannot produce two outcomes (and two sets of notifications). Null when someone was first.
 */
export async function transition(
  deps: SandboxDeps,
  txn: Txn,
  patch: { status: CinetpayStatus; state: TxnState; method?: string | null; phone?: string | null; providerTransactionId?: string | null; faults?: Record<string, unknown> },
): Promise<Txn | null> {
  const [row] = await deps.db
    .update(sandboxTransactions)
    .set(patch)
    .where(and(eq(sandboxTransactions.id, txn.id), eq(sandboxTransactions.status, txn.status)))
    .returning();
  return row ?? null;
}

export async function saveState(deps: SandboxDeps, txn: Txn, state: TxnState): Promise<void> {
  await deps.db.update(sandboxTransactions).set({ state }).where(eq(sandboxTransactions.id, txn.id));
}
