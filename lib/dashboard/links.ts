import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { paymentLinks, providerAccounts } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import { isCurrency, parseMoney, type Currency } from "@/lib/money";
import { providersBounds } from "@/lib/payments/limits";
import { checkFixedAmount } from "@/lib/products/price";
import type { Mode } from "@/lib/payments/types";
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

/** What a new link is, in minor units (amount null: an open amount, between min and max when set). */
export type LinkValues = { title: string; description: string; amountMinor: number | null; minMinor: number | null; maxMinor: number | null };

/**
 * The rules every new link follows, from the dashboard or the API: an open link's minimum and
 * maximum in order and within what the merchant's enabled providers can take together (a bound
 * outside them could never be paid). Field errors are codes, by field (min, max).
 */
export async function checkLinkBounds(db: Db, merchantId: string, currency: Currency, { min, max }: Bound): Promise<Record<string, string> | null> {
  if (min && max && min > max) return { max: "bounds_order" };
  const accounts = await db.select({ provider: providerAccounts.provider }).from(providerAccounts).where(and(eq(providerAccounts.merchantId, merchantId), eq(providerAccounts.enabled, true)));
  const limits = providersBounds(currency, accounts.map((a) => a.provider));
  if (limits && min && min < limits.minMinor) return { min: "below_providers" };
  if (limits?.maxMinor && max && max > limits.maxMinor) return { max: "above_providers" };
  return null;
}

/** Stores a link whose values passed the rules; `mode`: an API key's, else the account's decides. */
export async function insertLink(db: Db, owner: { merchantId: string; currency: string; createdBy: string | null; mode?: Mode | null }, values: LinkValues) {
  const [link] = await db
    .insert(paymentLinks)
    .values({
      id: newId("lnk"),
      merchantId: owner.merchantId,
      title: values.title,
      description: values.description,
      amountMinor: values.amountMinor,
      minAmountMinor: values.amountMinor === null ? values.minMinor : null,
      maxAmountMinor: values.amountMinor === null ? values.maxMinor : null,
      currency: owner.currency,
      mode: owner.mode ?? null,
      createdBy: owner.createdBy,
    })
    .returning();
  return link!;
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
    const accepted = await checkFixedAmount(db, ctx.merchant.id, currency, amountMinor);
    if (!accepted.ok) return { ok: false, error: "invalid_input", fieldErrors: { amount: accepted.code }, fieldMessages: accepted.message && { amount: accepted.message } };
  } else if (isCurrency(currency)) {
    const parse = (text: string) => (text ? parseMoney(text, currency) : null);
    bounds = { min: parse(parsed.data.min), max: parse(parsed.data.max) };
    const errors: Record<string, string> = {};
    if (parsed.data.min && !bounds.min) errors.min = "amount_invalid";
    if (parsed.data.max && !bounds.max) errors.max = "amount_invalid";
    const refused = Object.keys(errors).length ? errors : await checkLinkBounds(db, ctx.merchant.id, currency, bounds);
    if (refused) return { ok: false, error: "invalid_input", fieldErrors: refused };
  }
  const link = await insertLink(
    db,
    { merchantId: ctx.merchant.id, currency, createdBy: ctx.user.id },
    { title: parsed.data.title, description: parsed.data.description, amountMinor, minMinor: bounds.min, maxMinor: bounds.max },
  );
  return { ok: true, id: link.id };
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
