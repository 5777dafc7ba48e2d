import type { payments } from "@/db/schema";
import { decryptJson } from "@/lib/crypto";
import type { LoadedAccount, PaymentDeps } from "./accounts";
import type { PaymentHandle } from "./types";

export type PaymentRow = typeof payments.$inferSelect;
/** A payment row and its provider account, as just read by the caller. */
export type Loaded = { payment: PaymentRow; account: LoadedAccount };

export const now = (deps: PaymentDeps) => deps.now?.() ?? new Date();

/** When reconciliation looks again at a payment still undecided: 15 s, 30 s, 1 min … capped at 30 min. */
export function nextCheckDelayMs(attempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempts), 30 * 60_000);
}

export function paymentHandle(row: PaymentRow, encryptionKey: string): PaymentHandle {
  return {
    reference: row.reference,
    amountMinor: row.amountMinor,
    currency: row.currency,
    providerToken: row.providerToken,
    providerReference: row.providerReference,
    stored: row.stored,
    storedSecret: row.storedSecretEncrypted ? decryptJson<Record<string, string>>(row.storedSecretEncrypted, encryptionKey) : null,
    phone: row.customerPhone,
  };
}
