import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { decryptJson, decryptSecret, encryptSecret, safeEqual } from "./crypto";
import { rowsOf } from "@/db/rows";

const OTHER_KEY = Buffer.alloc(32, 9).toString("base64");

describe("AES-256-GCM secrets", () => {
  it("round-trips and uses a fresh IV every time", () => {
    const a = encryptSecret("sk_live_123", TEST_ENCRYPTION_KEY);
    const b = encryptSecret("sk_live_123", TEST_ENCRYPTION_KEY);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, TEST_ENCRYPTION_KEY)).toBe("sk_live_123");
  });

  it("refuses the wrong key and any tampering", () => {
    const payload = encryptSecret("secret", TEST_ENCRYPTION_KEY);
    expect(() => decryptSecret(payload, OTHER_KEY)).toThrow();
    const parts = payload.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decryptSecret([parts[0], parts[1], parts[2], flipped.toString("base64url")].join("."), TEST_ENCRYPTION_KEY)).toThrow();
    expect(() => decryptSecret("plain-text", TEST_ENCRYPTION_KEY)).toThrow(/format/);
  });

  it("compares strings in constant time without short-circuiting on length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});

describe.each(TEST_DATABASES)("provider credentials at rest on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 1 });
  });
  afterAll(() => database.close());

  it("are not readable in the database without the key", async () => {
    const result = await database.db.execute(sql`select * from provider_accounts`);
    const rows = rowsOf(result);
    expect(rows).toHaveLength(8);
    const dump = JSON.stringify(rows);
    const secrets = SEED_MERCHANTS.flatMap((m) => m.accounts.flatMap((a) => Object.entries(a.credentials)))
      .filter(([name]) => /secret|key|private/i.test(name) && !/merchantKey|publicKey/.test(name))
      .map(([, value]) => value);
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(dump).not.toContain(secret);

    const stored = rows[0]!.sandbox_credentials_encrypted as string;
    expect(() => decryptJson(stored, OTHER_KEY)).toThrow();
    expect(decryptJson<Record<string, string>>(stored, TEST_ENCRYPTION_KEY)).toBeTypeOf("object");
  });
});
