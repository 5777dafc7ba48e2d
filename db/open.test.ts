import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { parseEnv } from "@/lib/env";
import { openAppDatabase } from "./open";

const secrets = { NEXTAUTH_SECRET: "x".repeat(32), CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64") };

/** Opens a brand-new embedded database as the app would under this environment; says whether the demo owner exists. */
async function demoOwnerOnFreshDatabase(vars: Record<string, string>): Promise<boolean> {
  const database = await openAppDatabase(parseEnv({ ...secrets, ...vars, DATABASE_URL: "", PGLITE_DATA_DIR: "memory://" }));
  try {
    expect(database.created).toBe(true);
    return (await database.db.$count(s.users, eq(s.users.email, "owner@demo.test"))) > 0;
  } finally {
    await database.close();
  }
}

// The demo owners' passwords are printed in the README: their accounts exist only where asked for.
describe("demo data on a new embedded database", () => {
  it("is absent under next start (production) and in tests", async () => {
    expect(await demoOwnerOnFreshDatabase({ NODE_ENV: "production" })).toBe(false);
    expect(await demoOwnerOnFreshDatabase({ NODE_ENV: "test" })).toBe(false);
  });

  it("is seeded by npm run dev (development), as the README's quick start says", async () => {
    expect(await demoOwnerOnFreshDatabase({ NODE_ENV: "development" })).toBe(true);
  });

  it("follows SEED_ON_START when it is said: seeded in production on true, absent in development on false", async () => {
    expect(await demoOwnerOnFreshDatabase({ NODE_ENV: "production", SEED_ON_START: "true" })).toBe(true);
    expect(await demoOwnerOnFreshDatabase({ NODE_ENV: "development", SEED_ON_START: "false" })).toBe(false);
  });
});
