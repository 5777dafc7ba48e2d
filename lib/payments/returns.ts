import { and, eq, inArray } from "drizzle-orm";
import { payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { refreshPayment } from "./refresh";
import { applyTransition, isFinal } from "./transitions";

// A shopper coming back proves nothing: it only triggers a status check.
export async function handleReturn(
  deps: PaymentDeps,
  orderId: string,
  paymentId: string | null,
  options: { cancelled?: boolean; candidateProviderReference?: string } = {},
): Promise<void> {
  const cancelled = options.cancelled ?? false;
  const rows = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), paymentId ? eq(payments.id, paymentId) : inArray(payments.status, ["created", "pending", "waiting_for_customer"])));
  for (const row of rows) {
    if (isFinal(row.status)) continue;
    const outcome = await refreshPayment(deps, row.id, "return", { candidateProviderReference: paymentId ? options.candidateProviderReference : undefined }).catch(() => null);
    // Orange: a cancel link leaves the transaction INITIATED; only then is it ours to cancel.
    if (cancelled && outcome && !isFinal(outcome.status)) {
      await applyTransition(deps.db, { paymentId: row.id, to: "cancelled", actor: "shopper", patch: { failureCode: "cancelled_by_shopper" } });
    }
  }
}

