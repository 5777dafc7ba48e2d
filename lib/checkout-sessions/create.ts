import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutSessions, merchants, providerAccounts } from "@/db/schema";
import { newId } from "@/lib/ids";
import { acceptsAmount } from "@/lib/payments/limits";
import { getProvider } from "@/lib/payments/registry";
import type { AmountCheck, Mode } from "@/lib/payments/types";
import { accountsForMode } from "./accounts";
import { returnUrlProblem, SESSION_TTL, type CreateSessionInput } from "./input";

export type SessionRow = typeof checkoutSessions.$inferSelect;

/** A refusal naming the field at fault, for the API to answer 400 with. */
export class SessionInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly param: string | null,
  ) {
    super(message);
    this.name = "SessionInputError";
  }
}

/**
 * Creates a session after every rule that would otherwise stop its shopper: the store's currency,
 * URLs fit for the key's mode, the expiry's bounds, and an amount at least one of the store's
 * providers (enabled, with credentials in the key's mode) can take. Nothing is written otherwise.
 */
export async function createCheckoutSession(db: Db, caller: { keyId: string; merchantId: string; mode: Mode }, input: CreateSessionInput, now: Date): Promise<SessionRow> {
  const rows = await db
    .select({ currency: merchants.currency, account: providerAccounts })
    .from(merchants)
    .leftJoin(providerAccounts, eq(providerAccounts.merchantId, merchants.id))
    .where(eq(merchants.id, caller.merchantId));
  const currency = rows[0]!.currency;
  if (input.currency !== currency) throw new SessionInputError("currency_invalid", `This store takes ${currency} only.`, "currency");

  for (const param of ["success_url", "cancel_url"] as const) {
    const problem = returnUrlProblem(input[param], caller.mode);
    if (problem) throw new SessionInputError("url_invalid", `${param} ${problem}.`, param);
  }

  let expiresAt = new Date(now.getTime() + SESSION_TTL.defaultMs);
  if (input.expires_at !== undefined) {
    expiresAt = new Date(input.expires_at);
    const ttl = expiresAt.getTime() - now.getTime();
    if (ttl < SESSION_TTL.minMs || ttl > SESSION_TTL.maxMs) throw new SessionInputError("expires_at_invalid", "expires_at must be between 30 minutes and 24 hours from now.", "expires_at");
  }

  const lines = input.line_items?.map((l) => ({ name: l.name, unitAmountMinor: l.unit_amount, quantity: l.quantity })) ?? null;
  const amountMinor = input.amount ?? lines!.reduce((sum, l) => sum + l.unitAmountMinor * l.quantity, 0);
  const amountParam = input.amount !== undefined ? "amount" : "line_items";
  if (!Number.isSafeInteger(amountMinor)) throw new SessionInputError("amount_too_high", "The total is too large.", amountParam);

  const accounts = accountsForMode(rows.flatMap((r) => (r.account ? [r.account] : [])), caller.mode).filter((a) => getProvider(a.provider).capabilities.currencies.includes(currency));
  if (accounts.length === 0) throw new SessionInputError("no_payment_method", `No payment provider of this store takes ${caller.mode} payments in ${currency}.`, null);
  const checks: AmountCheck[] = accounts.map((a) => acceptsAmount(a.provider, amountMinor, currency));
  const refused = checks.every((c) => !c.ok) ? checks[0] : undefined;
  if (refused && !refused.ok) throw new SessionInputError(refused.code, `No provider of this store takes this amount: ${refused.message.en}`, amountParam);

  const [row] = await db
    .insert(checkoutSessions)
    .values({
      id: newId("cs"),
      merchantId: caller.merchantId,
      apiKeyId: caller.keyId,
      mode: caller.mode,
      amountMinor,
      currency,
      lineItems: lines,
      clientReference: input.client_reference ?? null,
      customer: { name: input.customer.name ?? null, email: input.customer.email ?? null, phone: input.customer.phone ?? null, country: input.customer.country ?? null },
      metadata: input.metadata,
      successUrl: input.success_url,
      cancelUrl: input.cancel_url,
      expiresAt,
      createdAt: now,
    })
    .returning();
  return row!;
}
