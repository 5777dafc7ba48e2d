import { and, desc, eq, inArray } from "drizzle-orm";
import { payments, UNDECIDED_STATUSES } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { keepCandidate, refreshPayment } from "./refresh";
import { claimUnsignedCheck } from "./unsigned-checks";
import { getProvider } from "./registry";
import { lateCheckAt } from "./late-checks";
import { now } from "./handle";
import { applyTransition, isFinal } from "./transitions";

/**
 * A shopper coming back proves nothing: it triggers a status check (at most one per payment every
 * 10 s, unsigned-checks.ts). A "cancel" (Orange's cancel link, the KKiaPay widget closed) only
 * closes an attempt the provider itself shows as never started: a prompt still live on the phone
 * may yet be approved, and that money must land on a payment that is still open.
 */
export async function handleReturn(
  deps: PaymentDeps,
  orderId: string,
  paymentId: string | null,
  options: { cancelled?: boolean; candidateProviderReference?: string } = {},
): Promise<void> {
  const cancelled = options.cancelled ?? false;
  // Without a payment of this order named, only its latest undecided attempt is asked about: an
  // order may hold many attempts, and one URL must not cost one provider call each.
  const rows = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), paymentId ? eq(payments.id, paymentId) : inArray(payments.status, [...UNDECIDED_STATUSES])))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  for (const row of rows) {
    // A closed attempt is asked about again only while its late check is pending (see late-checks.ts).
    if (isFinal(row.status) && !(paymentId && row.nextCheckAt)) continue;
    const candidate = paymentId ? options.candidateProviderReference : undefined;
    if ((await claimUnsignedCheck(deps, row.id, now(deps))).kind !== "check") {
      // Asked moments ago: a shopper's URL (anyone can loop on it) must not spend the merchant's
      // provider rate limit (one claim, so concurrent returns cannot both pass). A transaction it
      // names is kept for the next check.
      if (candidate) await keepCandidate(deps, row, candidate);
      continue;
    }
    const outcome = await refreshPayment(deps, row.id, "return", { evidence: candidate ? { providerReference: candidate, authenticated: false } : undefined }).catch(() => null);
    if (!cancelled || !outcome?.providerStatus || isFinal(outcome.status)) continue;
    if (getProvider(row.provider).shopperMayCancel?.(outcome.providerStatus)) {
      await applyTransition(deps.db, {
        paymentId: row.id,
        to: "cancelled",
        actor: "shopper",
        patch: { failureCode: "cancelled_by_shopper", nextCheckAt: lateCheckAt(row, now(deps)) },
        data: { providerStatus: outcome.providerStatus },
      });
    }
  }
}
