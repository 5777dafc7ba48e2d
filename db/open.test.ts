import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { parseEnv } from "@/lib/env";
import { hashApiKey } from "@/lib/api/keys";
import { openAppDatabase } from "./open";
import { DEV_API_KEY } from "./seed-api-key";

const secrets = { NEXTAUTH_SECRET: "x".repeat(32), CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64") };

/** Opens a brand-new embedded database as the app would under this environment; says whether the demo owner exists. */
async function demoOwnerOnFreshDatabase(vars: Record<string, string>): Promise<boolean> {
  return (await freshDatabase(vars)).demoOwner;
}

async function freshDatabase(vars: Record<string, string>): Promise<{ demoOwner: boolean; readmeApiKey: boolean }> {
  const database = await openAppDatabase(parseEnv({ ...secrets, ...vars, DATABASE_URL: "", PGLITE_DATA_DIR: "memory://" }));
  try {
    expect(database.created).toBe(true);
    return {
      demoOwner: (await database.db.$count(s.users, eq(s.users.email, "owner@demo.test"))) > 0,
      readmeApiKey: (await database.db.$count(s.apiKeys, eq(s.apiKeys.keyHash, hashApiKey(DEV_API_KEY)))) > 0,
    };
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

// The README's curl key is public: it opens the demo store's sandbox under npm run dev only.
describe("the README's API key", () => {
  it("exists under npm run dev (sandbox, the demo store), and nowhere else, not even in a seeded production", async () => {
    expect(await freshDatabase({ NODE_ENV: "development" })).toEqual({ demoOwner: true, readmeApiKey: true });
    expect(await freshDatabase({ NODE_ENV: "production", SEED_ON_START: "true" })).toEqual({ demoOwner: true, readmeApiKey: false });
    expect(await freshDatabase({ NODE_ENV: "development", SEED_ON_START: "false" })).toEqual({ demoOwner: false, readmeApiKey: false });
  }, 90_000);
});
