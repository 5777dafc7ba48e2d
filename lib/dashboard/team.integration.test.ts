import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { checkCredentials } from "@/lib/auth/credentials";
import { acceptInvitation, findInvitation, INVITATION_TTL_MS, invitationUrl } from "@/lib/auth/invitations";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { LIMITS } from "@/lib/auth/rate-limit";
import { decryptJson } from "@/lib/crypto";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { storeClock } from "@/lib/time/store-clock";
import { changeMemberRole, inviteMember, listMembers, listPendingInvitations, removeMember, revokeInvitation } from "./team";

describe.each(TEST_DATABASES)("team management on $name", ({ open }) => {
  let database: Database;
  let owner: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;

  const ctxOf = async (email: string, password: string) => (await loadMerchantContext(database.db, (await checkCredentials(database.db, { email, password }))!.id))!;
  const invite = async (ctx: MerchantContext, email: string, role = "staff", now?: Date) => {
    const result = await inviteMember(database.db, ctx, { email, role }, now);
    if (!result.ok) throw new Error(`invite failed: ${result.error} ${JSON.stringify(result.fieldErrors)}`);
    return result;
  };
  const memberOf = async (ctx: MerchantContext, email: string) => (await listMembers(database.db, ctx.merchant.id)).find((m) => m.email === email);

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    owner = await ctxOf("owner@demo.test", "demo-password");
    staff = await ctxOf("staff@demo.test", "staff-password");
    autre = await ctxOf("owner@autre.test", "autre-password");
  });
  afterAll(() => database?.close());

  it("invites a new person, who creates an account, joins with the role and can then sign in", async () => {
    const inv = await invite(owner, "  Fatou.Diallo@Example.TEST ");
    expect(inv.email).toBe("fatou.diallo@example.test");
    expect(invitationUrl("https://caisse.example/", inv.token)).toBe(`https://caisse.example/invite/${inv.token}`);
    // Only the SHA-256 of the token is stored, never the token.
    const [row] = await database.db.select().from(s.invitations).where(eq(s.invitations.id, inv.invitationId));
    expect(row).toMatchObject({ merchantId: owner.merchant.id, email: "fatou.diallo@example.test", role: "staff", invitedBy: owner.user.id, acceptedAt: null, revokedAt: null });
    expect(row!.tokenHash).toBe(createHash("sha256").update(inv.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(INVITATION_TTL_MS);
    expect((await listPendingInvitations(database.db, owner.merchant.id)).map((i) => i.email)).toContain("fatou.diallo@example.test");

    expect(await findInvitation(database.db, inv.token)).toEqual({ state: "pending", email: "fatou.diallo@example.test", role: "staff", merchantName: owner.merchant.name, invitedBy: owner.user.name, hasAccount: false });
    expect(await acceptInvitation(database.db, { token: inv.token, name: "", password: "short" }, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { name: "name_required", password: "password_too_short" },
    });
    // The sign-up's strength rule (lib/auth/password-rules.ts) holds here too.
    expect(await acceptInvitation(database.db, { token: inv.token, name: "Fatou Diallo", password: "AZERTYUIOP" }, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { password: "password_common" },
    });
    expect(await acceptInvitation(database.db, { token: inv.token, name: "Fatou Diallo", password: "a-long-password" }, null)).toEqual({
      ok: true,
      email: "fatou.diallo@example.test",
      merchantName: owner.merchant.name,
      newAccount: true,
    });

    const user = await checkCredentials(database.db, { email: "fatou.diallo@example.test", password: "a-long-password" });
    expect(user).toMatchObject({ name: "Fatou Diallo" });
    expect(await loadMerchantContext(database.db, user!.id)).toMatchObject({ role: "staff", merchant: { id: owner.merchant.id } });
    expect(await listPendingInvitations(database.db, owner.merchant.id)).toEqual([]);
  });

  it("lets an existing account join with its own password, through the sign-in rate limiter", async () => {
    const inv = await invite(owner, "owner@autre.test", "owner");
    expect(await findInvitation(database.db, inv.token)).toMatchObject({ state: "pending", hasAccount: true });
    expect(await acceptInvitation(database.db, { token: inv.token, password: "not-the-password" }, "10.1.1.1")).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { password: "wrong_password" },
    });
    // A name and a new password do not replace the account's password.
    expect(await acceptInvitation(database.db, { token: inv.token, name: "Intruder", password: "another-long-password" }, "10.1.1.1")).toMatchObject({ ok: false, fieldErrors: { password: "wrong_password" } });
    expect(await acceptInvitation(database.db, { token: inv.token, password: "autre-password" }, "10.1.1.1")).toMatchObject({ ok: true, newAccount: false });
    expect(await memberOf(owner, "owner@autre.test")).toMatchObject({ role: "owner", userId: autre.user.id });
    // The account keeps its first store as the one the dashboard opens.
    expect((await loadMerchantContext(database.db, autre.user.id))!.merchant.id).toBe(autre.merchant.id);

    const locked = await invite(autre, "staff@demo.test");
    for (let i = 0; i < LIMITS.email; i++) await acceptInvitation(database.db, { token: locked.token, password: `guess-${i}` }, "10.2.2.2");
    expect(await acceptInvitation(database.db, { token: locked.token, password: "staff-password" }, "10.2.2.3")).toEqual({ ok: false, error: "rate_limited" });
    expect(await memberOf(autre, "staff@demo.test")).toBeUndefined();
  });

  it("refuses unknown, revoked, expired and used links with a reason, never an exception", async () => {
    expect(await findInvitation(database.db, "not-a-token")).toEqual({ state: "unknown" });
    expect(await findInvitation(database.db, "a".repeat(64))).toEqual({ state: "unknown" });
    expect(await acceptInvitation(database.db, { token: "a".repeat(64), name: "X", password: "a-long-password" }, null)).toEqual({ ok: false, error: "invitation_unknown" });
    expect(await acceptInvitation(database.db, {}, null)).toEqual({ ok: false, error: "invitation_unknown" });

    const revoked = await invite(owner, "revoked@example.test");
    expect(await revokeInvitation(database.db, owner, { invitationId: revoked.invitationId })).toEqual({ ok: true });
    expect(await revokeInvitation(database.db, owner, { invitationId: revoked.invitationId })).toEqual({ ok: false, error: "invitation_not_found" });
    expect(await findInvitation(database.db, revoked.token)).toEqual({ state: "revoked" });
    expect(await acceptInvitation(database.db, { token: revoked.token, name: "R", password: "a-long-password" }, null)).toEqual({ ok: false, error: "invitation_revoked" });

    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    const expired = await invite(owner, "late@example.test", "staff", eightDaysAgo);
    expect(await findInvitation(database.db, expired.token)).toEqual({ state: "expired" });
    expect(await acceptInvitation(database.db, { token: expired.token, name: "L", password: "a-long-password" }, null)).toEqual({ ok: false, error: "invitation_expired" });
    // An expired invitation stays listed (marked by its date) until replaced or revoked.
    expect((await listPendingInvitations(database.db, owner.merchant.id)).map((i) => i.email)).toContain("late@example.test");

    const used = await invite(owner, "twice@example.test");
    const form = { token: used.token, name: "Twice", password: "a-long-password" };
    const [first, second] = await Promise.all([acceptInvitation(database.db, form, null), acceptInvitation(database.db, form, null)]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect(await acceptInvitation(database.db, form, null)).toEqual({ ok: false, error: "invitation_accepted" });
    expect(await findInvitation(database.db, used.token)).toEqual({ state: "accepted" });
    expect(await database.db.$count(s.users, eq(s.users.email, "twice@example.test"))).toBe(1);
  });

  it("replaces a pending invitation when the same address is invited again, and refuses members", async () => {
    const first = await invite(owner, "again@example.test");
    const second = await invite(owner, "Again@example.test", "owner");
    expect(await findInvitation(database.db, first.token)).toEqual({ state: "revoked" });
    expect(await findInvitation(database.db, second.token)).toMatchObject({ state: "pending", role: "owner" });
    expect((await listPendingInvitations(database.db, owner.merchant.id)).filter((i) => i.email === "again@example.test")).toHaveLength(1);

    expect(await inviteMember(database.db, owner, { email: "Staff@Demo.test", role: "staff" })).toEqual({ ok: false, error: "invalid_input", fieldErrors: { email: "already_member" } });
    expect(await inviteMember(database.db, owner, { email: "not-an-email", role: "boss" })).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { email: "email_invalid", role: "role_invalid" },
    });
  });

  it("always keeps an owner: the last one can neither step down nor leave", async () => {
    const self = (await memberOf(autre, "owner@autre.test"))!;
    expect(await changeMemberRole(database.db, autre, { memberId: self.id, role: "staff" })).toEqual({ ok: false, error: "last_owner" });
    expect(await removeMember(database.db, autre, { memberId: self.id })).toEqual({ ok: false, error: "last_owner" });
    expect(await changeMemberRole(database.db, autre, { memberId: self.id, role: "owner" })).toEqual({ ok: true, self: true });

    // demo has two owners now (owner@autre.test accepted an owner invitation above).
    const demoOwner = (await memberOf(owner, "owner@demo.test"))!;
    const guest = (await memberOf(owner, "owner@autre.test"))!;
    expect(await changeMemberRole(database.db, owner, { memberId: demoOwner.id, role: "staff" })).toEqual({ ok: true, self: true });
    expect(await changeMemberRole(database.db, owner, { memberId: demoOwner.id, role: "owner" })).toEqual({ ok: true, self: true });

    // Two owners demoting each other at the same moment: one wins, the store keeps an owner.
    const guestCtx = { ...autre, merchant: owner.merchant, role: "owner" as const };
    const results = await Promise.all([
      changeMemberRole(database.db, owner, { memberId: guest.id, role: "staff" }),
      changeMemberRole(database.db, guestCtx, { memberId: demoOwner.id, role: "staff" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: "last_owner" });
    const owners = (await listMembers(database.db, owner.merchant.id)).filter((m) => m.role === "owner");
    expect(owners).toHaveLength(1);

    // Restore demo's owner, then let the guest leave on their own: another owner remains.
    const remaining = owners[0]!.email === "owner@demo.test" ? owner : guestCtx;
    await changeMemberRole(database.db, remaining, { memberId: remaining === owner ? guest.id : demoOwner.id, role: "owner" });
    expect(await removeMember(database.db, guestCtx, { memberId: guest.id })).toEqual({ ok: true, self: true });
    expect(await memberOf(owner, "owner@autre.test")).toBeUndefined();
    expect(await memberOf(owner, "owner@demo.test")).toMatchObject({ role: "owner" });
  });

  it("refuses another store's member and invitation ids as not found", async () => {
    const demoStaff = (await memberOf(owner, "staff@demo.test"))!;
    const pending = await invite(owner, "scoped@example.test");
    expect(await changeMemberRole(database.db, autre, { memberId: demoStaff.id, role: "owner" })).toEqual({ ok: false, error: "member_not_found" });
    expect(await removeMember(database.db, autre, { memberId: demoStaff.id })).toEqual({ ok: false, error: "member_not_found" });
    expect(await revokeInvitation(database.db, autre, { invitationId: pending.invitationId })).toEqual({ ok: false, error: "invitation_not_found" });
    expect(await memberOf(owner, "staff@demo.test")).toMatchObject({ role: "staff" });
    expect(await findInvitation(database.db, pending.token)).toMatchObject({ state: "pending" });
    expect(await listPendingInvitations(database.db, autre.merchant.id)).not.toContainEqual(expect.objectContaining({ id: pending.invitationId }));
  });

  it("refuses every change from staff, whatever the form says", async () => {
    const demoOwner = (await memberOf(owner, "owner@demo.test"))!;
    const [pending] = await listPendingInvitations(database.db, owner.merchant.id);
    const forbidden = { ok: false, error: "forbidden" };
    expect(await inviteMember(database.db, staff, { email: "friend@example.test", role: "owner" })).toEqual(forbidden);
    expect(await revokeInvitation(database.db, staff, { invitationId: pending!.id })).toEqual(forbidden);
    expect(await changeMemberRole(database.db, staff, { memberId: (await memberOf(owner, "staff@demo.test"))!.id, role: "owner" })).toEqual(forbidden);
    expect(await removeMember(database.db, staff, { memberId: demoOwner.id })).toEqual(forbidden);
    expect(await database.db.$count(s.invitations, and(eq(s.invitations.merchantId, owner.merchant.id), eq(s.invitations.email, "friend@example.test")))).toBe(0);
    expect(await memberOf(owner, "staff@demo.test")).toMatchObject({ role: "staff" });
  });

  it("e-mails the invitation link, in the inviter's language, with the store's deadline; the link in the e-mail is the one the owner sees", async () => {
    const at = new Date("2026-12-07T18:00:00Z");
    const result = await inviteMember(database.db, owner, { email: "Mail.Me@Example.test", role: "staff" }, at, { appUrl: "http://caisse.test", encryptionKey: TEST_ENCRYPTION_KEY, locale: "en" });
    if (!result.ok) throw new Error(result.error);
    const [message] = await database.db.select().from(s.mailMessages).where(eq(s.mailMessages.recipient, "mail.me@example.test"));
    expect(message).toMatchObject({ kind: "invitation", merchantId: owner.merchant.id, locale: "en", status: "queued" });
    const content = decryptJson<{ subject: string; text: string; html: string }>(message!.content!, TEST_ENCRYPTION_KEY);
    expect(content.subject).toBe(`${owner.user.name} invites you to ${owner.merchant.name} on Caisse`);
    expect(content.text).toContain(invitationUrl("http://caisse.test", result.token));
    expect(content.text).toContain(storeClock("en", owner.merchant.timeZone).dateTime(new Date(at.getTime() + INVITATION_TTL_MS)));
    // Without a mailer (nothing asked for an e-mail) nothing is queued.
    await inviteMember(database.db, owner, { email: "no-mail@example.test", role: "staff" });
    expect(await database.db.$count(s.mailMessages, eq(s.mailMessages.recipient, "no-mail@example.test"))).toBe(0);
  });
});
