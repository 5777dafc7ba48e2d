import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invitations, members, merchants, users } from "@/db/schema";
import { memberRole } from "@/db/schema/enums";
import { INVITATION_TTL_MS, invitationUrl, newInvitationToken } from "@/lib/auth/invitations";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { queueMail } from "@/lib/mail/queue";
import { invitationMail, mailLocale } from "@/lib/mail/templates";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes, recordId } from "@/lib/validation";
import { FORBIDDEN, type ActionResult } from "./payment-actions";

/**
 * The store's team, managed by its owners. Every change is scoped to the session's merchant (an
 * id from another store is "not found") and keeps at least one owner. No merchant-level audit
 * table exists yet, so changes go to the "team" log: ids and roles, never e-mails or tokens.
 */

const audit = (ctx: MerchantContext, event: string, details: Record<string, unknown>) =>
  logger("team").info({ merchantId: ctx.merchant.id, actorUserId: ctx.user.id, ...details }, event);

/** Neither accepted nor revoked (an expired one still counts: it holds the address's slot). */
const unsettled = () => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

export async function listMembers(db: Db, merchantId: string) {
  return db
    .select({ id: members.id, userId: members.userId, role: members.role, name: users.name, email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.merchantId, merchantId))
    .orderBy(asc(members.role), asc(users.email));
}

/** Invitations not yet accepted or revoked, expired ones included so the owner sees why a link fails. */
export async function listPendingInvitations(db: Db, merchantId: string) {
  return db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.merchantId, merchantId), unsettled()))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
}

const role = z.enum(memberRole.enumValues, { error: "role_invalid" });
const id = recordId;
const emailField = z.string().trim().toLowerCase().pipe(z.email("email_invalid").max(254, "email_invalid"));
const inviteSchema = z.object({ email: emailField, role });

/** How the invitation's e-mail is written: the inviter's language, links to this app. */
export type InvitationMailer = { appUrl: string; encryptionKey: string; locale: string };

/**
 * Creates an invitation and returns its token, the only time it exists outside the link. With a
 * mailer, the link is also e-mailed to the invited address (queued in the same transaction).
 */
export async function inviteMember(db: Db, ctx: MerchantContext, input: unknown, now = new Date(), mailer?: InvitationMailer): Promise<ActionResult<{ invitationId: string; email: string; token: string }>> {
  if (!can(ctx, "team")) return FORBIDDEN;
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { email } = parsed.data;
  const [member] = await db
    .select({ id: members.id })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.merchantId, ctx.merchant.id), eq(sql`lower(${users.email})`, email)));
  if (member) return { ok: false, error: "invalid_input", fieldErrors: { email: "already_member" } };

  const invitationId = newId("inv");
  const { token, tokenHash } = newInvitationToken();
  try {
    await db.transaction(async (tx) => {
      // Inviting again replaces the pending invitation: the link is shown once, and may be lost.
      await tx
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.merchantId, ctx.merchant.id), eq(invitations.email, email), unsettled()));
      await tx.insert(invitations).values({
        id: invitationId,
        merchantId: ctx.merchant.id,
        email,
        role: parsed.data.role,
        tokenHash,
        invitedBy: ctx.user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      if (!mailer) return;
      const locale = mailLocale(mailer.locale);
      const content = invitationMail(locale, {
        storeName: ctx.merchant.name,
        invitedBy: ctx.user.name,
        url: invitationUrl(mailer.appUrl, token),
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        timeZone: ctx.merchant.timeZone,
      });
      await queueMail(tx, mailer.encryptionKey, { kind: "invitation", recipient: email, locale, merchantId: ctx.merchant.id, content });
    });
  } catch (error) {
    // Two owners inviting the same person at the same moment: the other one won.
    if (uniqueViolation(error, "invitations_pending_email_key")) return { ok: false, error: "invalid_input", fieldErrors: { email: "already_invited" } };
    throw error;
  }
  audit(ctx, "invitation created", { invitationId, role: parsed.data.role });
  return { ok: true, invitationId, email, token };
}

export async function revokeInvitation(db: Db, ctx: MerchantContext, input: unknown, now = new Date()): Promise<ActionResult> {
  if (!can(ctx, "team")) return FORBIDDEN;
  const parsed = z.object({ invitationId: id }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const revoked = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.id, parsed.data.invitationId), eq(invitations.merchantId, ctx.merchant.id), unsettled()))
    .returning({ id: invitations.id });
  if (!revoked.length) return { ok: false, error: "invitation_not_found" };
  audit(ctx, "invitation revoked", { invitationId: parsed.data.invitationId });
  return { ok: true };
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Target = { id: string; userId: string; role: "owner" | "staff"; lastOwner: boolean };
type TeamChange = ActionResult<{ self: boolean }>;

/**
 * Runs a change to one member of the session's store with the store's row locked, so two owners
 * demoting or removing each other at the same moment cannot leave the store without an owner.
 */
async function changeMember(db: Db, ctx: MerchantContext, memberId: string, change: (tx: Tx, target: Target) => Promise<TeamChange>): Promise<TeamChange> {
  return db.transaction(async (tx) => {
    await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, ctx.merchant.id)).for("update");
    const [target] = await tx
      .select({ id: members.id, userId: members.userId, role: members.role })
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.merchantId, ctx.merchant.id)));
    if (!target) return { ok: false, error: "member_not_found" };
    const [owners] = await tx
      .select({ n: count() })
      .from(members)
      .where(and(eq(members.merchantId, ctx.merchant.id), eq(members.role, "owner")));
    return change(tx, { ...target, lastOwner: target.role === "owner" && owners!.n <= 1 });
  });
}

export async function changeMemberRole(db: Db, ctx: MerchantContext, input: unknown): Promise<TeamChange> {
  if (!can(ctx, "team")) return FORBIDDEN;
  const parsed = z.object({ memberId: id, role }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const next = parsed.data.role;
  return changeMember(db, ctx, parsed.data.memberId, async (tx, target) => {
    const self = target.userId === ctx.user.id;
    if (target.role === next) return { ok: true, self };
    if (target.lastOwner) return { ok: false, error: "last_owner" };
    await tx.update(members).set({ role: next }).where(eq(members.id, target.id));
    audit(ctx, "member role changed", { memberId: target.id, userId: target.userId, from: target.role, to: next });
    return { ok: true, self };
  });
}

/** Removes a membership (the user's account stays: it may belong to other stores). */
export async function removeMember(db: Db, ctx: MerchantContext, input: unknown): Promise<TeamChange> {
  if (!can(ctx, "team")) return FORBIDDEN;
  const parsed = z.object({ memberId: id }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  return changeMember(db, ctx, parsed.data.memberId, async (tx, target) => {
    if (target.lastOwner) return { ok: false, error: "last_owner" };
    await tx.delete(members).where(eq(members.id, target.id));
    audit(ctx, "member removed", { memberId: target.id, userId: target.userId, role: target.role });
    return { ok: true, self: target.userId === ctx.user.id };
  });
}
