import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { checkCredentials, SignInRateLimited } from "./credentials";
import { eq } from "drizzle-orm";
import * as s from "@/db/schema";
import { clientAddress, countSignInAttempt, LIMITS, WINDOW_MS } from "./rate-limit";

describe.each(TEST_DATABASES)("rate-limited sign-in on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  });
  afterAll(() => database.close());

  it("locks an e-mail after 5 failures, even against the right password, and only that e-mail", async () => {
    for (let i = 0; i < LIMITS.email; i++) {
      expect(await checkCredentials(database.db, { email: "staff@demo.test", password: `wrong-${i}` }, "10.0.0.1")).toBeNull();
    }
    await expect(checkCredentials(database.db, { email: "staff@demo.test", password: "staff-password" }, "10.0.0.1")).rejects.toBeInstanceOf(SignInRateLimited);
    await expect(checkCredentials(database.db, { email: "Staff@Demo.test", password: "staff-password" }, "10.0.0.2")).rejects.toBeInstanceOf(SignInRateLimited);
    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "demo-password" }, "10.0.0.1")).toMatchObject({ email: "owner@demo.test" });
    // Two windows later the door opens again.
    expect(await countSignInAttempt(database.db, "staff@demo.test", null, new Date(Date.now() + 2 * WINDOW_MS))).toMatchObject({ allowed: true });
  });

  it("forgets the windows that no longer count: a stranger's typed e-mails are not kept forever", async () => {
    // Found by the review of issue 13: every e-mail anyone types (typos of real addresses too)
    // stayed in sign_in_attempts for good, one row per address and window, written without a session.
    const longAgo = new Date(Date.now() - 3 * WINDOW_MS);
    await countSignInAttempt(database.db, "typo@demo.test", "203.0.113.7", longAgo);
    await countSignInAttempt(database.db, "someone@demo.test", null);
    const kept = await database.db.select({ key: s.signInAttempts.key }).from(s.signInAttempts);
    expect(kept.map((r) => r.key)).not.toContain("email:typo@demo.test");
    expect(kept.map((r) => r.key)).not.toContain("ip:203.0.113.7");
    expect(kept.map((r) => r.key)).toContain("email:someone@demo.test");
  });

  it("locks an address that tries many e-mails", async () => {
    for (let i = 0; i < LIMITS.ip; i++) await checkCredentials(database.db, { email: `guess${i}@demo.test`, password: "x" }, "10.9.9.9");
    await expect(checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" }, "10.9.9.9")).rejects.toBeInstanceOf(SignInRateLimited);
    expect(await checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" }, "10.9.9.10")).toMatchObject({ email: "owner@autre.test" });
  });

  it("a success clears the e-mail's failures", async () => {
    for (let i = 0; i < LIMITS.email - 1; i++) await checkCredentials(database.db, { email: "owner@autre.test", password: "nope" }, null);
    expect(await checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" }, null)).not.toBeNull();
    expect(await checkCredentials(database.db, { email: "owner@autre.test", password: "nope" }, null)).toBeNull();
    expect(await countSignInAttempt(database.db, "owner@autre.test", null)).toMatchObject({ allowed: true });
  });
  it("good sign-ins give their attempt back: an office behind one address is never locked by them", async () => {
    for (let i = 0; i <= LIMITS.ip; i++) {
      expect(await checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" }, "198.51.100.30")).not.toBeNull();
    }
    const [row] = await database.db.select({ failures: s.signInAttempts.failures }).from(s.signInAttempts).where(eq(s.signInAttempts.key, "ip:198.51.100.30"));
    expect(row?.failures).toBe(0);
  });

  it("evaluates at most five of twenty concurrent wrong guesses at one account, and counts all twenty", async () => {
    const guesses = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => checkCredentials(database.db, { email: "owner@demo.test", password: `wrong-${i}` }, null)),
    );
    // A guess that comes back (null) had its password checked; a refused one never reached bcrypt.
    const evaluated = guesses.filter((g) => g.status === "fulfilled");
    expect(evaluated).toHaveLength(LIMITS.email);
    expect(evaluated.every((g) => g.value === null)).toBe(true);
    expect(guesses.filter((g) => g.status === "rejected").every((g) => g.reason instanceof SignInRateLimited)).toBe(true);
    const rows = await database.db.select({ failures: s.signInAttempts.failures }).from(s.signInAttempts).where(eq(s.signInAttempts.key, "email:owner@demo.test"));
    expect(rows.reduce((sum, r) => sum + r.failures, 0)).toBe(20);
    await expect(checkCredentials(database.db, { email: "owner@demo.test", password: "demo-password" }, null)).rejects.toBeInstanceOf(SignInRateLimited);
  });

  it("evaluates at most the address's limit of concurrent guesses spread over many e-mails", async () => {
    const guesses = await Promise.allSettled(
      Array.from({ length: LIMITS.ip + 10 }, (_, i) => checkCredentials(database.db, { email: `spread${i}@demo.test`, password: "x" }, "192.0.2.44")),
    );
    expect(guesses.filter((g) => g.status === "fulfilled")).toHaveLength(LIMITS.ip);
  });

  it("reads no address from X-Forwarded-For unless proxy hops are trusted, then the hop the nearest trusted proxy wrote", () => {
    // The client writes the header: with no trusted proxy, nothing in it is believed.
    expect(clientAddress("198.51.100.7", 0)).toBeNull();
    expect(clientAddress("198.51.100.7, 203.0.113.9", 0)).toBeNull();
    // One proxy appends the address it saw; whatever the client wrote before that is ignored.
    expect(clientAddress("198.51.100.7, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("198.51.100.7,203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
    expect(clientAddress("2001:db8::1, 10.0.0.2", 2)).toBe("2001:db8::1");
    // Fewer hops than trusted proxies: the request did not come through them.
    expect(clientAddress("203.0.113.9", 2)).toBeNull();
    expect(clientAddress("198.51.100.7, not-an-address", 1)).toBeNull();
    expect(clientAddress(undefined, 1)).toBeNull();
    expect(clientAddress(["203.0.113.9"], 1)).toBeNull();
  });

  it("a spoofed X-Forwarded-For never gives an address a fresh count", async () => {
    // Behind one trusted proxy: the attacker writes a new first hop every time; the proxy appends the real one.
    for (let i = 0; i < LIMITS.ip; i++) {
      await checkCredentials(database.db, { email: `spoof${i}@demo.test`, password: "x" }, clientAddress(`10.7.${i}.1, 203.0.113.77`, 1));
    }
    await expect(checkCredentials(database.db, { email: "staff@autre.test", password: "x" }, clientAddress("10.7.250.1, 203.0.113.77", 1))).rejects.toBeInstanceOf(SignInRateLimited);
    // With no trusted proxy the header is never read, so rotating it names no address at all.
    const spoofed = Array.from({ length: LIMITS.ip + 1 }, (_, i) => clientAddress(`10.8.${i}.1`, 0));
    expect(new Set(spoofed)).toEqual(new Set([null]));
  });
});
