import { and, eq } from "drizzle-orm";
import { merchants, orders, payments, providerAccounts } from "@/db/schema";
import { writeTogether } from "@/db/write-together";
import { encryptJson } from "@/lib/crypto";
import { newId, newPaymentReference } from "@/lib/ids";
import { errorMessage } from "@/lib/log";
import { contextFor, openAccount, type AccountRow, type LoadedAccount, type PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { nextCheckDelayMs, now } from "./handle";
import { lateCheckAt } from "./late-checks";
import { acceptsAmount } from "./limits";
import { redact } from "./redact";
import { getProvider } from "./registry";
import { applyTransition, eventInsert, recordEvent } from "./transitions";
import { ProviderError, type NextAction, type PaymentMethod, type PaymentStatus, type ProviderId } from "./types";

export type StartInput = { merchantId: string; orderId: string; provider: ProviderId; method: PaymentMethod; flow?: "hosted" | "push" };
export type StartResult = { paymentId: string; reference: string; action: NextAction; status: PaymentStatus };

type OrderRow = typeof orders.$inferSelect;
type StartOrder = Pick<
  OrderRow,
  "id" | "merchantId" | "status" | "reference" | "amountMinor" | "currency" | "customerName" | "customerEmail" | "customerPhone" | "customerCountry" | "customerBilling" | "locale" | "mode"
>;
/**
 * What a checkout has just written and read itself (the order it created, its merchant and the
 * account it routed to), handed over so that the payment starts without reading them again.
 */
export type StartLoaded = { order: StartOrder; merchant: { slug: string; name: string; timeZone: string }; account: AccountRow };

async function loadForStart(deps: PaymentDeps, input: StartInput): Promise<{ order: StartOrder; merchant: { slug: string; name: string; timeZone: string }; account: LoadedAccount | null } | null> {
  const [row] = await deps.db
    .select({ order: orders, merchant: { slug: merchants.slug, name: merchants.name, timeZone: merchants.timeZone }, account: providerAccounts })
    .from(orders)
    .innerJoin(merchants, eq(merchants.id, orders.merchantId))
    .leftJoin(providerAccounts, and(eq(providerAccounts.merchantId, orders.merchantId), eq(providerAccounts.provider, input.provider)))
    .where(and(eq(orders.id, input.orderId), eq(orders.merchantId, input.merchantId)));
  return row ? { ...row, account: row.account ? openAccount(deps, row.account, row.merchant.timeZone) : null } : null;
}

/**
 * Creates the payment row first (our reference exists before the provider hears of it), then
 * asks the provider to initialize. The amount always comes from the order in the database.
 */
export async function startPayment(deps: PaymentDeps, input: StartInput, loaded?: StartLoaded): Promise<StartResult> {
  const found =
    loaded && loaded.order.id === input.orderId && loaded.order.merchantId === input.merchantId && loaded.account.provider === input.provider
      ? { ...loaded, account: openAccount(deps, loaded.account, loaded.merchant.timeZone) }
      : await loadForStart(deps, input);
  if (!found) throw new PaymentError("order_not_found", { fr: "Commande introuvable.", en: "Order not found." });
  const { order: orderRow, merchant, account } = found;
  if (orderRow.status !== "open") {
    throw new PaymentError("order_not_open", { fr: "Cette commande est déjà réglée ou annulée.", en: "This order is already paid or cancelled." });
  }
  if (!account || !account.enabled) {
    throw new PaymentError("provider_unavailable", { fr: "Ce moyen de paiement n'est pas disponible.", en: "This payment method is not available." });
  }
  const provider = getProvider(input.provider);
  if (!provider.capabilities.methods.includes(input.method)) {
    throw new PaymentError("method_unavailable", { fr: "Ce moyen de paiement n'est pas proposé.", en: "This payment method is not offered." });
  }
  const amountCheck = acceptsAmount(input.provider, orderRow.amountMinor, orderRow.currency);
  if (!amountCheck.ok) throw new PaymentError(amountCheck.code, amountCheck.message);

  // An order made through an API key's link is paid in the key's mode, whatever the account's.
  const mode = orderRow.mode ?? account.mode;
  const paymentId = newId("pay");
  const reference = newPaymentReference(now(deps));
  const returnUrl = `${deps.appUrl}/orders/${orderRow.id}/return?p=${paymentId}`;
  const notify = `${deps.appUrl}/api/webhooks/${input.provider}/${merchant.slug}`;
  const initInput = {
    reference,
    amountMinor: orderRow.amountMinor,
    currency: orderRow.currency,
    description: `Commande ${orderRow.reference} ${merchant.name}`.replace(/[#/$_&]/g, " "),
    method: input.method,
    flow: input.flow,
    customer: { name: orderRow.customerName, email: orderRow.customerEmail, phone: orderRow.customerPhone, country: orderRow.customerCountry, billing: orderRow.customerBilling },
    locale: (orderRow.locale === "en" ? "en" : "fr") as "fr" | "en",
    merchantName: merchant.name,
    // Orange's notification names no order: our reference rides in the URL it posts to.
    urls: { notify: input.provider === "orange-money" ? `${notify}?ref=${reference}` : notify, return: returnUrl, cancel: `${returnUrl}&cancelled=1` },
  };
  await writeTogether(deps.db, [
    deps.db.insert(payments).values({
      id: paymentId,
      orderId: orderRow.id,
      merchantId: input.merchantId,
      providerAccountId: account.id,
      provider: input.provider,
      mode,
      method: input.method,
      reference,
      amountMinor: orderRow.amountMinor,
      currency: orderRow.currency,
      customerPhone: orderRow.customerPhone,
      status: "created",
      // Scheduled from the start: a process that dies during the provider call leaves a payment
      // that reconciliation still asks about.
      nextCheckAt: new Date(now(deps).getTime() + (deps.timeouts?.initMs ?? 15_000) + nextCheckDelayMs(0)),
    }),
    eventInsert(deps.db, { paymentId, merchantId: input.merchantId, type: "init_request", actor: "checkout", data: redact({ ...initInput }) }),
  ]);

  try {
    const result = await provider.initialize(initInput, contextFor(deps, account, "init", mode));
    const windowMs = (provider.capabilities.windowMinutes ?? 30) * 60_000;
    await writeTogether(deps.db, [
      deps.db
        .update(payments)
        .set({
          providerToken: result.providerToken ?? null,
          providerReference: result.providerReference ?? null,
          stored: result.stored ?? {},
          storedSecretEncrypted: result.storedSecret ? encryptJson(result.storedSecret, deps.encryptionKey) : null,
          nextAction: result.action,
          expiresAt: result.expiresAt ?? new Date(now(deps).getTime() + windowMs),
          nextCheckAt: new Date(now(deps).getTime() + nextCheckDelayMs(0)),
        })
        .where(eq(payments.id, paymentId)),
      eventInsert(deps.db, { paymentId, merchantId: input.merchantId, type: "init_response", actor: input.provider, data: { trace: result.trace, action: result.action.type } }),
    ]);
    await applyTransition(deps.db, { paymentId, to: result.status, actor: input.provider });
    return { paymentId, reference, action: result.action, status: result.status };
  } catch (error) {
    const pe = error instanceof ProviderError ? error : new ProviderError(input.provider, "internal_error", errorMessage(error), false);
    await recordEvent(deps.db, { paymentId, merchantId: input.merchantId, type: "init_response", actor: input.provider, data: { error: pe.code, message: pe.message, trace: pe.details.trace } });
    // An answer we never got (timeout, 5xx) may still have started something (an STK push that
    // rang): one late check asks the provider after its window.
    const nextCheckAt = pe.retryable ? lateCheckAt({ expiresAt: null }, now(deps)) : null;
    await applyTransition(deps.db, { paymentId, to: "failed", actor: input.provider, patch: { failureCode: pe.code, failureMessage: pe.message, nextCheckAt } });
    throw new PaymentError(pe.code, pe.details.userMessage ?? {
      fr: "Le service de paiement n'a pas répondu. Réessayez dans un instant ou choisissez un autre moyen.",
      en: "The payment service did not answer. Try again in a moment or choose another method.",
    });
  }
}

