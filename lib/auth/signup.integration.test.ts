import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { checkCredentials } from "./credentials";
import { passwordProblem } from "./password-rules";
import { countSignInAttempt, LIMITS } from "./rate-limit";
import { signUp } from "./signup";

const GOOD = "mangue-tamarin-42";

describe("the password rule", () => {
  it("asks for 10 characters, refuses common ones, one repeated character and the e-mail", () => {
    expect(passwordProblem("court-9", "a@b.test")).toBe("password_too_short");
    expect(passwordProblem("x".repeat(201), "a@b.test")).toBe("too_long");
    for (const weak of ["1234567890", "AZERTYUIOP", "MotDePasse123", "zzzzzzzzzzzz"]) expect(passwordProblem(weak, "a@b.test")).toBe("password_common");
    expect(passwordProblem("awa.kone@exemple.ci", "Awa.Kone@exemple.ci")).toBe("password_common");
    expect(passwordProblem("awa.kone123", "awa.kone@exemple.ci")).toBe("password_common");
    expect(passwordProblem(GOOD, "awa.kone@exemple.ci")).toBeNull();
  });
});

describe.each(TEST_DATABASES)("sign-up on $name", ({ name, open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  });
  afterAll(() => database.close());
  const accounts = (email: string) => database.db.$count(s.users, eq(sql`lower(${s.users.email})`, email.toLowerCase()));

  it("creates an account that signs in, its e-mail lowercased, with no store yet", async () => {
    const result = await signUp(database.db, { name: " Awa Koné ", email: " Awa@Chez-Awa.ci ", password: GOOD }, null);
    expect(result).toMatchObject({ ok: true, email: "awa@chez-awa.ci", newAccount: true });
    expect(await checkCredentials(database.db, { email: "awa@chez-awa.ci", password: GOOD })).toMatchObject({ name: "Awa Koné" });
    expect(await database.db.$count(s.members, eq(s.members.userId, (result as { userId: string }).userId))).toBe(0);
  });

  it("answers bad input at its fields, never a throw", async () => {
    expect(await signUp(database.db, {}, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { name: "invalid", email: "invalid", password: "invalid" },
    });
    expect(await signUp(database.db, { name: "", email: "pas-une-adresse", password: "court" }, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { name: "name_required", email: "email_invalid", password: "password_too_short" },
    });
    expect(await signUp(database.db, { name: "A\u0000wa", email: `${"a".repeat(250)}@x.ci`, password: "0123456789" }, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { name: "invalid", email: "too_long", password: "password_common" },
    });
  });

  it("a registered e-mail: unavailable with another password, a success with its own", async () => {
    expect(await signUp(database.db, { name: "X", email: "OWNER@demo.test", password: "un-autre-mot-de-passe" }, null)).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { email: "email_unavailable" },
    });
    expect(await signUp(database.db, { name: "Awa", email: "owner@demo.test", password: "demo-password" }, null)).toMatchObject({ ok: true, newAccount: false });
    expect(await accounts("owner@demo.test")).toBe(1);
  });

  it("counts with the sign-in limiter: an e-mail probed too often is locked for both doors", async () => {
    for (let i = 0; i < LIMITS.email; i++) await signUp(database.db, { name: "X", email: "staff@autre.test", password: `essai-numero-${i}` }, "203.0.113.50");
    expect(await signUp(database.db, { name: "X", email: "staff@autre.test", password: "essai-numero-x" }, "203.0.113.51")).toEqual({ ok: false, error: "rate_limited" });
    await expect(checkCredentials(database.db, { email: "staff@autre.test", password: "staff-password" })).rejects.toThrow("rate_limited");
  });

  it("an address creates at most its limit of accounts per window", async () => {
    // The address has made all but one of its attempts this window (as LIMITS.ip - 1 sign-ups would).
    const { windowStart } = await countSignInAttempt(database.db, "first@spam.test", "198.51.100.99");
    await database.db.update(s.signInAttempts).set({ failures: LIMITS.ip - 1 }).where(and(eq(s.signInAttempts.key, "ip:198.51.100.99"), eq(s.signInAttempts.windowStart, windowStart)));
    expect(await signUp(database.db, { name: "Bot", email: "bot1@spam.test", password: GOOD }, "198.51.100.99")).toMatchObject({ ok: true, newAccount: true });
    expect(await signUp(database.db, { name: "Bot", email: "bot2@spam.test", password: GOOD }, "198.51.100.99")).toEqual({ ok: false, error: "rate_limited" });
    expect(await accounts("bot2@spam.test")).toBe(0);
  });

  it("two sign-ups of one e-mail at once make one account", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const [a, b] = await Promise.all([
      signUp(database.db, { name: "Un", email: "race@chez-awa.ci", password: "premier-mot-de-passe" }, null),
      signUp(database.db, { name: "Deux", email: "Race@Chez-Awa.ci", password: "second-mot-de-passe" }, null),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toEqual({ ok: false, error: "invalid_input", fieldErrors: { email: "email_unavailable" } });
    expect(await accounts("race@chez-awa.ci")).toBe(1);

    // The same form sent twice: one account, and both answers are a success.
    const twice = await Promise.all([1, 2].map(() => signUp(database.db, { name: "Awa", email: "twice@chez-awa.ci", password: GOOD }, null)));
    expect(twice.map((r) => r.ok && r.newAccount).sort()).toEqual([false, true]);
    expect(await accounts("twice@chez-awa.ci")).toBe(1);
  });
});
