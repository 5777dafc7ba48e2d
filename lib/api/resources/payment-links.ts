import { and, desc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { merchants, paymentLinks } from "@/db/schema";
import { checkLinkBounds, insertLink, linkUrl } from "@/lib/dashboard/links";
import { isCurrency } from "@/lib/money";
import { checkFixedAmount } from "@/lib/products/price";
import { isPlainText } from "@/lib/validation";
import type { ApiCall } from "../deps";
import type { RouteInput } from "../define-route";
import { invalid } from "../errors";
import type { Answer } from "../idempotency";
import { keysetPage, type ListQuery } from "../pagination";
import type { PaymentLinkObject } from "../schemas";

type LinkRow = typeof paymentLinks.$inferSelect;

export function linkView(appUrl: string, l: LinkRow): PaymentLinkObject {
  return {
    id: l.id,
    object: "payment_link" as const,
    url: linkUrl(appUrl, l.id),
    title: l.title,
    description: l.description,
    amount: l.amountMinor,
    min_amount: l.minAmountMinor,
    max_amount: l.maxAmountMinor,
    currency: l.currency,
    active: l.active,
    /** null: made in the dashboard, its payments follow the provider account's mode. */
    livemode: l.mode === null ? null : l.mode === "live",
    created: l.createdAt.toISOString(),
  };
}

const minor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const createPaymentLinkBody = z.strictObject({
  title: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .refine((v) => isPlainText(v), "control characters")
    .describe("What is sold, shown on the payment page."),
  description: z
    .string()
    .trim()
    .max(500)
    .refine((v) => isPlainText(v, true), "control characters")
    .default("")
    .describe("More about it, shown under the title."),
  amount: minor.optional().describe("A fixed amount in the store currency's minor unit. Leave it out for an open amount, typed by the customer."),
  min_amount: minor.optional().describe("Open amount only: the least the customer may type (at least what the store's providers accept)."),
  max_amount: minor.optional().describe("Open amount only: the most the customer may type (at most what the store's providers accept)."),
});

const BOUND_MESSAGES: Record<string, string> = {
  bounds_order: "max_amount is below min_amount.",
  below_providers: "min_amount is below what the store's providers accept.",
  above_providers: "max_amount is above what the store's providers accept.",
};

/** POST /payment-links: the dashboard's rules (lib/dashboard/links.ts); the link's payments go to the key's mode. */
export async function createPaymentLink(call: ApiCall, { body: input }: RouteInput<undefined, z.output<typeof createPaymentLinkBody>>): Promise<Answer> {
  const db = call.deps.payments.db;
  if (input.amount !== undefined && (input.min_amount !== undefined || input.max_amount !== undefined)) {
    throw invalid("parameter_invalid", "A fixed amount takes no min_amount or max_amount.", "min_amount");
  }
  const [merchant] = await db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, call.caller.merchantId));
  const currency = merchant!.currency;
  const bounds = { min: input.min_amount ?? null, max: input.max_amount ?? null };
  if (input.amount !== undefined) {
    const accepted = await checkFixedAmount(db, call.caller.merchantId, currency, input.amount);
    if (!accepted.ok) throw invalid("amount_not_accepted", accepted.message?.en ?? "A provider of the store does not accept this amount.", "amount", 422);
  }
  if (input.amount === undefined && isCurrency(currency)) {
    const refused = await checkLinkBounds(db, call.caller.merchantId, currency, bounds);
    const [param, code] = Object.entries(refused ?? {})[0] ?? [];
    if (param && code) throw invalid(code, BOUND_MESSAGES[code] ?? "Invalid bound.", `${param}_amount`, 422);
  }
  const link = await insertLink(
    db,
    { merchantId: call.caller.merchantId, currency, createdBy: null, mode: call.caller.mode },
    { title: input.title, description: input.description, amountMinor: input.amount ?? null, minMinor: bounds.min, maxMinor: bounds.max },
  );
  return { status: 201, body: linkView(call.deps.payments.appUrl, link) };
}

/** The key's own mode's links and the dashboard's (which follow the account's mode). */
export async function listPaymentLinks(call: ApiCall, { query }: RouteInput<ListQuery, undefined>): Promise<Answer> {
  const db = call.deps.payments.db;
  const scope = and(eq(paymentLinks.merchantId, call.caller.merchantId), or(eq(paymentLinks.mode, call.caller.mode), isNull(paymentLinks.mode)))!;
  const page = await keysetPage(db, paymentLinks, scope, query, (where, limit) =>
    db.select().from(paymentLinks).where(where).orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id)).limit(limit),
  );
  return { status: 200, body: { ...page, data: page.data.map((l) => linkView(call.deps.payments.appUrl, l)) } };
}
