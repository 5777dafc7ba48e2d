import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { checkCredentials, SignInRateLimited } from "./credentials";
import { LIMITS, signInBlocked, WINDOW_MS } from "./rate-limit";

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
    expect(await signInBlocked(database.db, "staff@demo.test", null, new Date(Date.now() + 2 * WINDOW_MS))).toBe(false);
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
    expect(await signInBlocked(database.db, "owner@autre.test", null)).toBe(false);
  });
});
