import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { paymentLinks, providerAccounts } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import { isCurrency, parseMoney, type Currency } from "@/lib/money";
import { providersBounds } from "@/lib/payments/limits";
import { FORBIDDEN, type ActionResult } from "./payment-actions";
import { fieldErrorCodes, isPlainText, recordId } from "@/lib/validation";

export async function listLinks(db: Db, merchantId: string) {
  return db.select().from(paymentLinks).where(eq(paymentLinks.merchantId, merchantId)).orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id)).limit(200);
}

/** The address a shopper opens; the link id is unguessable, like an order id. */
export const linkUrl = (appUrl: string, linkId: string) => `${appUrl.replace(/\/$/, "")}/pay/${linkId}`;

/** Lives in lib/share (safe to bundle for the browser); re-exported for existing callers. */
export { whatsappShareUrl } from "@/lib/share";

const createSchema = z.object({
  title: z.string().trim().min(1, "title_required").max(120, "too_long").refine((v) => isPlainText(v), "invalid"),
  description: z.string().trim().max(500, "too_long").refine((v) => isPlainText(v, true), "invalid").default(""),
  // Empty: an open amount the shopper types; otherwise a fixed amount in major units.
  amount: z.string().trim().max(20, "amount_invalid").default(""),
  // An open amount's bounds, in major units; empty: the providers' own limits.
  min: z.string().trim().max(20, "amount_invalid").default(""),
  max: z.string().trim().max(20, "amount_invalid").default(""),
});

type Bound = { min: number | null; max: number | null };

/**
 * An open link's minimum and maximum as the merchant typed them, in order and within what the
 * merchant's enabled providers can take together (a bound outside them could never be paid).
 */
async function openBounds(db: Db, ctx: MerchantContext, currency: Currency, input: { min: string; max: string }): Promise<{ bounds: Bound } | { errors: Record<string, string> }> {
  const parse = (text: string) => (text ? parseMoney(text, currency) : null);
  const min = parse(input.min);
  const max = parse(input.max);
  const errors: Record<string, string> = {};
  if (input.min && !min) errors.min = "amount_invalid";
  if (input.max && !max) errors.max = "amount_invalid";
  if (Object.keys(errors).length) return { errors };
  if (min && max && min > max) return { errors: { max: "bounds_order" } };
  const accounts = await db.select({ provider: providerAccounts.provider }).from(providerAccounts).where(and(eq(providerAccounts.merchantId, ctx.merchant.id), eq(providerAccounts.enabled, true)));
  const limits = providersBounds(currency, accounts.map((a) => a.provider));
  if (limits && min && min < limits.minMinor) return { errors: { min: "below_providers" } };
  if (limits?.maxMinor && max && max > limits.maxMinor) return { errors: { max: "above_providers" } };
  return { bounds: { min, max } };
}

export async function createLink(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ id: string }>> {
  if (!can(ctx, "links")) return FORBIDDEN;
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  }
  const currency = ctx.merchant.currency;
  let amountMinor: number | null = null;
  let bounds: Bound = { min: null, max: null };
  if (parsed.data.amount) {
    amountMinor = isCurrency(currency) ? parseMoney(parsed.data.amount, currency) : null;
    if (!amountMinor) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  } else if (isCurrency(currency)) {
    const checked = await openBounds(db, ctx, currency, parsed.data);
    if ("errors" in checked) return { ok: false, error: "invalid_input", fieldErrors: checked.errors };
    bounds = checked.bounds;
  }
  const id = newId("lnk");
  await db.insert(paymentLinks).values({
    id,
    merchantId: ctx.merchant.id,
    title: parsed.data.title,
    description: parsed.data.description,
    amountMinor,
    minAmountMinor: bounds.min,
    maxAmountMinor: bounds.max,
    currency,
    createdBy: ctx.user.id,
  });
  return { ok: true, id };
}

export async function setLinkActive(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult> {
  if (!can(ctx, "links")) return FORBIDDEN;
  const parsed = z.object({ linkId: recordId, active: z.enum(["true", "false"]) }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const updated = await db
    .update(paymentLinks)
    .set({ active: parsed.data.active === "true" })
    .where(and(eq(paymentLinks.id, parsed.data.linkId), eq(paymentLinks.merchantId, ctx.merchant.id)))
    .returning({ id: paymentLinks.id });
  return updated.length ? { ok: true } : { ok: false, error: "not_found" };
}
