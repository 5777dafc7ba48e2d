import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { deliverMail, type MailDeps } from "@/lib/mail/queue";
import { mailTransport } from "@/lib/mail/transport";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startSmtpCatcher, type SmtpCatcher } from "@/lib/testing/smtp-catcher";
import { checkCredentials } from "./credentials";
import { hashResetToken, requestPasswordReset, resetPassword, resetTokenUsable, RESET_TTL_MS } from "./password-reset";
import { LIMITS } from "./rate-limit";
import { sessionStillValid } from "./session";

const APP = "http://caisse.test";
const ctx = { ip: null, locale: "en", appUrl: APP, encryptionKey: TEST_ENCRYPTION_KEY };

describe.each(TEST_DATABASES)("password reset on $name", ({ open }) => {
  let database: Database;
  let smtp: SmtpCatcher;
  let mail: MailDeps;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    smtp = await startSmtpCatcher();
    mail = { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: APP, transport: mailTransport({ smtpUrl: smtp.url, from: "no-reply@caisse.test", production: true }) };
  });
  afterAll(async () => {
    await smtp?.close();
    await database?.close();
  });

  const resetMessages = (to: string) => database.db.select().from(s.mailMessages).where(sql`${s.mailMessages.recipient} = ${to} and ${s.mailMessages.kind} = 'password_reset'`);
  /** Sends what is queued for this address through the real SMTP server and returns the link its last e-mail holds. */
  async function linkMailedTo(to: string): Promise<string> {
    for (const row of await resetMessages(to)) if (row.status === "queued") await deliverMail(mail, row.id);
    const last = smtp.to(to).at(-1);
    const link = last?.text.match(/http:\/\/caisse\.test\/reset-password\/[0-9a-f]{64}/)?.[0];
    if (!link) throw new Error(`no reset link mailed to ${to}`);
    return link;
  }
  const tokenOf = (link: string) => link.split("/").at(-1)!;

  it("mails a one-time link that sets a new password: sign-in takes the new one, not the old, and the link cannot be used again", async () => {
    const t0 = new Date();
    expect(await requestPasswordReset(database.db, { email: "  Owner@Demo.TEST " }, ctx, t0)).toEqual({ ok: true });
    const link = await linkMailedTo("owner@demo.test");
    const mailed = smtp.to("owner@demo.test").at(-1)!;
    expect(mailed.subject).toBe("Reset your Caisse password");
    expect(mailed.html).toContain(`href="${link}"`);
    const token = tokenOf(link);
    expect(await resetTokenUsable(database.db, token)).toBe(true);

    // The strength rule of every new password applies.
    expect(await resetPassword(database.db, { token, password: "motdepasse123" })).toEqual({ ok: false, error: "invalid_input", fieldErrors: { password: "password_common" } });
    expect(await resetPassword(database.db, { token, password: "short" })).toEqual({ ok: false, error: "invalid_input", fieldErrors: { password: "password_too_short" } });
    expect(await resetPassword(database.db, { token, password: "Mangue-Papaye-2026" })).toEqual({ ok: true, email: "owner@demo.test" });

    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "Mangue-Papaye-2026" })).toMatchObject({ email: "owner@demo.test" });
    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "demo-password" })).toBeNull();
    expect(await resetTokenUsable(database.db, token)).toBe(false);
    expect(await resetPassword(database.db, { token, password: "Another-Good-One-77" })).toEqual({ ok: false, error: "reset_link_invalid" });
    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "Mangue-Papaye-2026" })).toMatchObject({ email: "owner@demo.test" });
  });

  it("stores only the token's SHA-256; the queued e-mail is encrypted, and emptied once the SMTP server took it", async () => {
    await requestPasswordReset(database.db, { email: "staff@demo.test" }, ctx);
    const [queued] = (await resetMessages("staff@demo.test")).filter((r) => r.status === "queued");
    const link = await linkMailedTo("staff@demo.test");
    const token = tokenOf(link);
    const rows = await database.db.select().from(s.passwordResetTokens);
    expect(rows.some((r) => r.tokenHash === hashResetToken(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(queued!.content).not.toBeNull();
    expect(queued!.content).not.toContain(token);
    const [sent] = await database.db.select().from(s.mailMessages).where(eq(s.mailMessages.id, queued!.id));
    expect(sent).toMatchObject({ status: "sent", via: "smtp", content: null });
  });

  it("a link expires after one hour", async () => {
    const t0 = new Date(Date.now() - 2 * RESET_TTL_MS);
    await requestPasswordReset(database.db, { email: "owner@autre.test" }, ctx, t0);
    const token = tokenOf(await linkMailedTo("owner@autre.test"));
    expect(await resetTokenUsable(database.db, token, new Date(t0.getTime() + RESET_TTL_MS - 1000))).toBe(true);
    expect(await resetTokenUsable(database.db, token, new Date(t0.getTime() + RESET_TTL_MS))).toBe(false);
    expect(await resetPassword(database.db, { token, password: "Mangue-Papaye-2026" })).toEqual({ ok: false, error: "reset_link_invalid" });
    expect(await checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" })).toMatchObject({ email: "owner@autre.test" });
  });

  it("answers an unknown address exactly as a known one, and mails nothing", async () => {
    const known = await requestPasswordReset(database.db, { email: "staff@demo.test" }, ctx);
    const unknown = await requestPasswordReset(database.db, { email: "nobody@demo.test" }, ctx);
    expect(unknown).toEqual(known);
    expect(await resetMessages("nobody@demo.test")).toEqual([]);
    expect(await resetPassword(database.db, { token: "0".repeat(64), password: "Mangue-Papaye-2026" })).toEqual({ ok: false, error: "reset_link_invalid" });
    expect(await resetPassword(database.db, { token: "../../etc", password: "Mangue-Papaye-2026" })).toEqual({ ok: false, error: "reset_link_invalid" });
  });

  it("is rate-limited per address like sign-in, with the same answers whether the account exists or not", async () => {
    // A day ahead: windows of their own, whatever the tests above counted.
    const later = new Date(Date.now() + 86_400_000);
    const answers = async (email: string) => {
      const out = [];
      for (let i = 0; i <= LIMITS.email; i++) out.push(await requestPasswordReset(database.db, { email }, ctx, later));
      return out;
    };
    const expected = [...Array(LIMITS.email).fill({ ok: true }), { ok: false, error: "rate_limited" }];
    expect(await answers("staff@demo.test")).toEqual(expected);
    expect(await answers("ghost@demo.test")).toEqual(expected);
  });

  it("ends the sessions signed in before a reset (a stolen session dies with the old password); later sign-ins and other accounts keep theirs", async () => {
    const [staff] = await database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, "staff@demo.test"));
    const [other] = await database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, "owner@autre.test"));
    const signedInBefore = Date.now() - 60_000;
    expect(await sessionStillValid(database.db, staff!.id, signedInBefore)).toBe(true);
    await requestPasswordReset(database.db, { email: "staff@demo.test" }, ctx);
    const token = tokenOf(await linkMailedTo("staff@demo.test"));
    expect(await resetPassword(database.db, { token, password: "Goyave-Baobab-2026" })).toEqual({ ok: true, email: "staff@demo.test" });
    expect(await sessionStillValid(database.db, staff!.id, signedInBefore)).toBe(false);
    // A session that never recorded when it signed in (issued before this rule) is as old as can be.
    expect(await sessionStillValid(database.db, staff!.id, undefined)).toBe(false);
    expect(await sessionStillValid(database.db, staff!.id, Date.now())).toBe(true);
    expect(await sessionStillValid(database.db, other!.id, signedInBefore)).toBe(true);
    expect(await sessionStillValid(database.db, other!.id, undefined)).toBe(true);
  });

  it("lets one of two resets submitted at once with the same link through, never both", async () => {
    await requestPasswordReset(database.db, { email: "owner@demo.test" }, ctx);
    const token = tokenOf(await linkMailedTo("owner@demo.test"));
    const results = await Promise.all([resetPassword(database.db, { token, password: "Papaye-Mangue-2027" }), resetPassword(database.db, { token, password: "Baobab-Karite-2027" })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "reset_link_invalid" }]);
  });

  it("refuses a malformed address at its field", async () => {
    expect(await requestPasswordReset(database.db, { email: "not-an-email" }, ctx)).toEqual({ ok: false, error: "invalid_input", fieldErrors: { email: "email_invalid" } });
  });
});
