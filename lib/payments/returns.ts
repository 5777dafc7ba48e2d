import { and, eq, inArray } from "drizzle-orm";
import { payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { refreshPayment } from "./refresh";
import { getProvider } from "./registry";
import { applyTransition, isFinal } from "./transitions";

/**
 * A shopper coming back proves nothing: it triggers a status check. A "cancel" (Orange's cancel
 * link, the KKiaPay widget closed) only closes an attempt the provider itself shows as never
 * started: a prompt still live on the phone may yet be approved, and that money must land on a
 * payment that is still open.
 */
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
    const candidate = paymentId ? options.candidateProviderReference : undefined;
    const outcome = await refreshPayment(deps, row.id, "return", { evidence: candidate ? { providerReference: candidate, authenticated: false } : undefined }).catch(() => null);
    if (!cancelled || !outcome?.providerStatus || isFinal(outcome.status)) continue;
    if (getProvider(row.provider).shopperMayCancel?.(outcome.providerStatus)) {
      await applyTransition(deps.db, { paymentId: row.id, to: "cancelled", actor: "shopper", patch: { failureCode: "cancelled_by_shopper", nextCheckAt: null }, data: { providerStatus: outcome.providerStatus } });
    }
  }
}
