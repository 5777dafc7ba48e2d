import { and, eq } from "drizzle-orm";
import { sandboxTransactions } from "@/db/schema";
import { newId, randomToken } from "@/lib/ids";
import type { SandboxDeps } from "../types";
import type { WebPaymentBody } from "./validation";

/** OM WebPay's statuses, as transactionstatus and the notification spell them. */
export type OmStatus = "INITIATED" | "PENDING" | "EXPIRED" | "SUCCESS" | "FAILED";

/** The pay_token is valid 10 minutes from creation; a confirmation after that ends EXPIRED. */
export const PAY_TOKEN_VALIDITY_MS = 10 * 60 * 1000;

export type OmState = {
  environment: string;
  notifToken: string;
  history: { status: OmStatus; at: string }[];
  cancelledAt?: string;
};

export type OmTransaction = typeof sandboxTransactions.$inferSelect & { status: OmStatus; state: OmState; request: WebPaymentBody };

const PROVIDER = "orange-money" as const;

function typed(row: typeof sandboxTransactions.$inferSelect | undefined): OmTransaction | null {
  return row ? (row as OmTransaction) : null;
}

export async function findByReference(deps: SandboxDeps, accountId: string, orderId: string): Promise<OmTransaction | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, PROVIDER), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.merchantReference, orderId)));
  return typed(row);
}

export async function findByPayToken(deps: SandboxDeps, payToken: string): Promise<OmTransaction | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, PROVIDER), eq(sandboxTransactions.token, payToken)));
  return typed(row);
}

/** Creates the INITIATED transaction; null when order_id was already used on this account. */
export async function createTransaction(deps: SandboxDeps, accountId: string, body: WebPaymentBody, environment: string, now: Date): Promise<OmTransaction | null> {
  const state: OmState = { environment, notifToken: randomToken(16), history: [{ status: "INITIATED", at: now.toISOString() }] };
  const rows = await deps.db
    .insert(sandboxTransactions)
    .values({
      id: newId("sbx"),
      provider: PROVIDER,
      accountId,
      merchantReference: body.order_id,
      token: randomToken(32),
      amountMinor: body.amount,
      currency: body.currency,
      status: "INITIATED",
      method: "orange_money",
      request: body,
      state,
      expiresAt: new Date(now.getTime() + PAY_TOKEN_VALIDITY_MS),
      createdAt: now,
    })
    .onConflictDoNothing({ target: [sandboxTransactions.provider, sandboxTransactions.accountId, sandboxTransactions.merchantReference] })
    .returning();
  return typed(rows[0]);
}

export type Transition = { status: OmStatus; at: Date; phone?: string; txnid?: string; faults?: Record<string, unknown> };

/**
 * Moves a transaction on, keeping its history in state (the control API shows it to testers).
 * Only from the status the caller saw: null when a concurrent confirmation got there first.
 */
export async function recordTransition(deps: SandboxDeps, txn: OmTransaction, t: Transition): Promise<OmTransaction | null> {
  const state: OmState = {
    ...txn.state,
    history: [...txn.state.history, { status: t.status, at: t.at.toISOString() }],
  };
  const [row] = await deps.db
    .update(sandboxTransactions)
    .set({
      status: t.status,
      state,
      ...(t.phone ? { phone: t.phone } : {}),
      ...(t.txnid ? { providerTransactionId: t.txnid } : {}),
      ...(t.faults ? { faults: t.faults } : {}),
    })
    .where(and(eq(sandboxTransactions.id, txn.id), eq(sandboxTransactions.status, txn.status)))
    .returning();
  return typed(row);
}

/** Records a visit to the cancel link without touching the status: Orange keeps it INITIATED. */
export async function recordCancel(deps: SandboxDeps, txn: OmTransaction, at: Date): Promise<void> {
  await deps.db
    .update(sandboxTransactions)
    .set({ state: { ...txn.state, cancelledAt: at.toISOString() } })
    .where(eq(sandboxTransactions.id, txn.id));
}
