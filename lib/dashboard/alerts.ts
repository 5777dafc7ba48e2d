import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { members, users } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { isLocale } from "@/lib/i18n/locale";
import { logger } from "@/lib/log";
import type { ActionResult } from "./payment-actions";

/** Whether this member of this store gets an e-mail each time one of its orders is paid. */
export async function paymentAlertsOn(db: Db, ctx: MerchantContext): Promise<boolean> {
  const [row] = await db
    .select({ on: members.paymentAlerts })
    .from(members)
    .where(and(eq(members.merchantId, ctx.merchant.id), eq(members.userId, ctx.user.id)));
  return row?.on ?? false;
}

const alertsSchema = z.object({ paymentAlerts: z.enum(["on"]).optional() });

/**
 * Every member (staff too) chooses for themselves, for the store in the session only. The
 * language they use now becomes the one their alerts are written in.
 */
export async function setPaymentAlerts(db: Db, ctx: MerchantContext, input: unknown, locale: string): Promise<ActionResult<{ on: boolean }>> {
  const parsed = alertsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const on = parsed.data.paymentAlerts === "on";
  await db.transaction(async (tx) => {
    await tx.update(members).set({ paymentAlerts: on }).where(and(eq(members.merchantId, ctx.merchant.id), eq(members.userId, ctx.user.id)));
    if (isLocale(locale)) await tx.update(users).set({ locale }).where(eq(users.id, ctx.user.id));
  });
  logger("team").info({ merchantId: ctx.merchant.id, userId: ctx.user.id, paymentAlerts: on }, "payment alerts set");
  return { ok: true, on };
}
