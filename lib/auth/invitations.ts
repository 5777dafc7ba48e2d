import { createHash } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invitations, members, merchants, users } from "@/db/schema";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { newId, randomToken } from "@/lib/ids";
import { logger } from "@/lib/log";
import { hashPassword } from "@/lib/password";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes, isPlainText } from "@/lib/validation";
import { checkCredentials, SignInRateLimited } from "./credentials";
import { NEW_PASSWORD_MIN, passwordProblem } from "./password-rules";
import type { Role } from "./membership";

/** An invitation link works for a week; after that the owner sends a new one. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
export { NEW_PASSWORD_MIN } from "./password-rules";

const TOKEN_FORMAT = /^[0-9a-f]{64}$/;

export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** 32 random bytes for the link; only their SHA-256 is stored. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomToken(32);
  return { token, tokenHash: hashInvitationToken(token) };
}

export const invitationUrl = (appUrl: string, token: string) => `${appUrl.replace(/\/$/, "")}/invite/${token}`;

/** The SQL condition of an invitation that can still be accepted. */
const invitationPending = (now: Date) => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));

export type InvitationView =
  | { state: "unknown" | "revoked" | "accepted" | "expired" }
  | { state: "pending"; email: string; role: Role; merchantName: string; invitedBy: string | null; hasAccount: boolean };

const inviter = alias(users, "inviter");

/** What the invitation page shows for a token, without ever failing on a bad one. */
export async function findInvitation(db: Db, token: string, now = new Date()): Promise<InvitationView> {
  if (!TOKEN_FORMAT.test(token)) return { state: "unknown" };
  // Looked up by the token's SHA-256 rather than compared: timing the index lookup could only
  // teach an attacker about hashes of guesses, not the token, so constant time buys nothing here.
  const [row] = await db
    .select({
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      merchantName: merchants.name,
      invitedBy: inviter.name,
      accountId: users.id,
    })
    .from(invitations)
    .innerJoin(merchants, eq(merchants.id, invitations.merchantId))
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .leftJoin(users, eq(sql`lower(${users.email})`, invitations.email))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!row) return { state: "unknown" };
  if (row.revokedAt) return { state: "revoked" };
  if (row.acceptedAt) return { state: "accepted" };
  if (row.expiresAt <= now) return { state: "expired" };
  return { state: "pending", email: row.email, role: row.role, merchantName: row.merchantName, invitedBy: row.invitedBy, hasAccount: row.accountId !== null };
}

const tokenSchema = z.object({ token: z.string().max(128) });
const existingAccountSchema = z.object({ password: z.string().min(1, "password_required").max(200, "too_long") });
const newAccountSchema = z.object({
  name: z.string().trim().min(1, "name_required").max(120, "too_long").refine((v) => isPlainText(v), "invalid"),
  password: z.string().min(NEW_PASSWORD_MIN, "password_too_short").max(200, "too_long"),
});

export type Accepted = { email: string; merchantName: string; newAccount: boolean };

/**
 * Joins the invited store. A new e-mail gets an account (name + password); an existing account
 * proves itself with its password, through the sign-in rate limiter so the page is no side door
 * for guessing. The invitation is claimed by a conditional UPDATE: two tabs cannot both use it.
 */
export async function acceptInvitation(db: Db, input: Record<string, unknown>, ip: string | null, now = new Date()): Promise<ActionResult<Accepted>> {
  const parsedToken = tokenSchema.safeParse(input);
  const token = parsedToken.success ? parsedToken.data.token : "";
  const view = await findInvitation(db, token, now);
  if (view.state !== "pending") return { ok: false, error: `invitation_${view.state}` };

  let newUser: { id: string; email: string; name: string; passwordHash: string } | null = null;
  let userId: string;
  if (view.hasAccount) {
    const parsed = existingAccountSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
    try {
      const user = await checkCredentials(db, { email: view.email, password: parsed.data.password }, ip);
      if (!user) return { ok: false, error: "invalid_input", fieldErrors: { password: "wrong_password" } };
      userId = user.id;
    } catch (error) {
      if (error instanceof SignInRateLimited) return { ok: false, error: "rate_limited" };
      throw error;
    }
  } else {
    const parsed = newAccountSchema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
    const weak = passwordProblem(parsed.data.password, view.email);
    if (weak) return { ok: false, error: "invalid_input", fieldErrors: { password: weak } };
    newUser = { id: newId("usr"), email: view.email, name: parsed.data.name, passwordHash: await hashPassword(parsed.data.password) };
    userId = newUser.id;
  }

  try {
    const claimed = await db.transaction(async (tx) => {
      const [invitation] = await tx
        .update(invitations)
        .set({ acceptedAt: now })
        .where(and(eq(invitations.tokenHash, hashInvitationToken(token)), invitationPending(now)))
        .returning({ id: invitations.id, merchantId: invitations.merchantId, role: invitations.role });
      if (!invitation) return null;
      if (newUser) await tx.insert(users).values(newUser);
      // Already a member (added meanwhile): the invitation is used up, the role stays as it is.
      await tx.insert(members).values({ id: newId("mem"), merchantId: invitation.merchantId, userId, role: invitation.role }).onConflictDoNothing();
      return invitation;
    });
    if (!claimed) return { ok: false, error: "invitation_accepted" };
    logger("team").info({ merchantId: claimed.merchantId, invitationId: claimed.id, userId, role: claimed.role, newAccount: Boolean(newUser) }, "invitation accepted");
  } catch (error) {
    // The e-mail got an account between the page load and this submit: reload to sign in with it.
    if (uniqueViolation(error, "users_email_key")) return { ok: false, error: "account_exists" };
    throw error;
  }
  return { ok: true, email: view.email, merchantName: view.merchantName, newAccount: Boolean(newUser) };
}
