import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { paymentLinks } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import { isCurrency, parseMoney } from "@/lib/money";
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
});

export async function createLink(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ id: string }>> {
  if (!can(ctx, "links")) return FORBIDDEN;
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  }
  const currency = ctx.merchant.currency;
  let amountMinor: number | null = null;
  if (parsed.data.amount) {
    amountMinor = isCurrency(currency) ? parseMoney(parsed.data.amount, currency) : null;
    if (!amountMinor) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  }
  const id = newId("lnk");
  await db.insert(paymentLinks).values({ id, merchantId: ctx.merchant.id, title: parsed.data.title, description: parsed.data.description, amountMinor, currency, createdBy: ctx.user.id });
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
