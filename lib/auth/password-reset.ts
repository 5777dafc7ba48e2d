import { createHash } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { passwordResetTokens, signInAttempts, users } from "@/db/schema";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { randomToken } from "@/lib/ids";
import { logger } from "@/lib/log";
import { queueMail } from "@/lib/mail/queue";
import { passwordResetMail, mailLocale } from "@/lib/mail/templates";
import { hashPassword } from "@/lib/password";
import { fieldErrorCodes } from "@/lib/validation";
import { passwordProblem, PASSWORD_MAX } from "./password-rules";
import { countAttempts, LIMITS } from "./rate-limit";

/** A reset link works once, for an hour. */
export const RESET_TTL_MS = 60 * 60_000;

const TOKEN_FORMAT = /^[0-9a-f]{64}$/;
export const hashResetToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const resetUrl = (appUrl: string, token: string) => `${appUrl.replace(/\/$/, "")}/reset-password/${token}`;

const requestSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "email_required").max(254, "too_long").pipe(z.email("email_invalid")),
});

export type ResetContext = { ip: string | null; locale: string; appUrl: string; encryptionKey: string };

/**
 * Asks for a reset link. The answer is the same whether the address has an account or not (the
 * form says "if an account exists, an e-mail is on its way"); only the e-mail tells. Requests are
 * counted like sign-in attempts (per e-mail and per address, before any lookup), so the form can
 * neither flood someone's inbox nor probe addresses faster than sign-in allows.
 */
export async function requestPasswordReset(db: Db, input: Record<string, unknown>, ctx: ResetContext, now = new Date()): Promise<ActionResult> {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { email } = parsed.data;
  const keys = [`reset:email:${email}`, ...(ctx.ip ? [`reset:ip:${ctx.ip}`] : [])];
  const { totals } = await countAttempts(db, keys, now);
  if ((totals.get(keys[0]!) ?? 0) > LIMITS.email || (ctx.ip && (totals.get(keys[1]!) ?? 0) > LIMITS.ip)) return { ok: false, error: "rate_limited" };

  const [user] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(sql`lower(${users.email})`, email));
  if (!user) return { ok: true };
  const token = randomToken(32);
  await db.transaction(async (tx) => {
    await tx.insert(passwordResetTokens).values({ userId: user.id, tokenHash: hashResetToken(token), createdAt: now, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
    const locale = mailLocale(ctx.locale);
    await queueMail(tx, ctx.encryptionKey, { kind: "password_reset", recipient: user.email, locale, userId: user.id, content: passwordResetMail(locale, { name: user.name, url: resetUrl(ctx.appUrl, token) }) });
  });
  logger("auth").info({ userId: user.id }, "password reset requested");
  return { ok: true };
}

/** The SQL condition of a link that still works. */
const usable = (now: Date) => and(isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now));

/** Whether the reset page should offer the form (the form checks again when submitted). */
export async function resetTokenUsable(db: Db, token: string, now = new Date()): Promise<boolean> {
  if (!TOKEN_FORMAT.test(token)) return false;
  const [row] = await db.select({ id: passwordResetTokens.id }).from(passwordResetTokens).where(and(eq(passwordResetTokens.tokenHash, hashResetToken(token)), usable(now)));
  return Boolean(row);
}

const resetSchema = z.object({ token: z.string().max(128), password: z.string().min(1, "password_required").max(PASSWORD_MAX, "too_long") });

/**
 * Sets the new password. The link is claimed by a conditional UPDATE in the same transaction as
 * the password: two submits cannot both use it, and a refused password leaves it usable. Every
 * other link of the account dies with it, as does every session signed in before (lib/auth/session.ts),
 * and the sign-in lock of the e-mail is lifted.
 */
export async function resetPassword(db: Db, input: Record<string, unknown>, now = new Date()): Promise<ActionResult<{ email: string }>> {
  const parsed = resetSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { token, password } = parsed.data;
  if (!TOKEN_FORMAT.test(token)) return { ok: false, error: "reset_link_invalid" };
  const [owner] = await db
    .select({ userId: users.id, email: users.email })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(and(eq(passwordResetTokens.tokenHash, hashResetToken(token)), usable(now)));
  if (!owner) return { ok: false, error: "reset_link_invalid" };
  const weak = passwordProblem(password, owner.email);
  if (weak) return { ok: false, error: "invalid_input", fieldErrors: { password: weak } };
  const passwordHash = await hashPassword(password);
  const done = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.tokenHash, hashResetToken(token)), usable(now)))
      .returning({ userId: passwordResetTokens.userId });
    if (!claimed) return false;
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, claimed.userId));
    await tx.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, claimed.userId), isNull(passwordResetTokens.usedAt)));
    await tx.delete(signInAttempts).where(eq(signInAttempts.key, `email:${owner.email.toLowerCase()}`));
    return true;
  });
  if (!done) return { ok: false, error: "reset_link_invalid" };
  logger("auth").info({ userId: owner.userId }, "password reset");
  return { ok: true, email: owner.email };
}
