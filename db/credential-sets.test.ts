import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { encryptJson } from "@/lib/crypto";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { migrateToLatest, migrationsBefore } from "@/lib/testing/migrations";
import { rowsOf } from "@/db/rows";


/**
 * Migration 0008 gives every provider account a sandbox and a live credential set: the one set an
 * account had goes to its current mode's; the database keeps sets whole and the active one present.
 */
describe.each(TEST_DATABASES)("provider credential sets migration on $name", ({ open }) => {
  it("moves each account's credentials to the set of its mode, then guards the sets", async () => {
    const before = migrationsBefore("0008_provider_credential_sets");
    const database = await open({ migrationsFolder: before.folder });
    try {
      const sandboxSecret = encryptJson({ apiKey: "a", siteId: "101", secretKey: "s" }, TEST_ENCRYPTION_KEY);
      const liveSecret = encryptJson({ apiKey: "b", siteId: "202", secretKey: "t" }, TEST_ENCRYPTION_KEY);
      await database.db.execute(sql`insert into merchants (id, slug, name, country, currency) values ('mer_a', 'a', 'A', 'CI', 'XOF'), ('mer_b', 'b', 'B', 'CI', 'XOF')`);
      await database.db.execute(sql`
        insert into provider_accounts (id, merchant_id, provider, mode, public_id, credentials_encrypted)
        values ('pac_a', 'mer_a', 'cinetpay', 'sandbox', '101', ${sandboxSecret}), ('pac_b', 'mer_b', 'cinetpay', 'live', '202', ${liveSecret})`);

      await migrateToLatest(database);

      const rows = rowsOf<Record<string, unknown>>(
        await database.db.execute(sql`select id, mode, sandbox_public_id, sandbox_credentials_encrypted, live_public_id, live_credentials_encrypted from provider_accounts order by id`),
      );
      expect(rows).toEqual([
        { id: "pac_a", mode: "sandbox", sandbox_public_id: "101", sandbox_credentials_encrypted: sandboxSecret, live_public_id: null, live_credentials_encrypted: null },
        { id: "pac_b", mode: "live", sandbox_public_id: null, sandbox_credentials_encrypted: null, live_public_id: "202", live_credentials_encrypted: liveSecret },
      ]);
      const columns = rowsOf<{ column_name: string }>(await database.db.execute(sql`select column_name from information_schema.columns where table_name = 'provider_accounts'`));
      expect(columns.map((c) => c.column_name)).not.toContain("credentials_encrypted");

      const refused = async (statement: ReturnType<typeof sql>) => {
        const error = await database.db.execute(statement).then(() => null, (e: unknown) => e as { cause?: { code?: string }; code?: string });
        return error?.cause?.code ?? error?.code;
      };
      // Switching to a mode with no set, half a set, or the live id of another store's account.
      expect(await refused(sql`update provider_accounts set mode = 'live' where id = 'pac_a'`)).toBe("23514");
      expect(await refused(sql`update provider_accounts set live_public_id = '303' where id = 'pac_a'`)).toBe("23514");
      expect(await refused(sql`update provider_accounts set live_public_id = '202', live_credentials_encrypted = 'x' where id = 'pac_a'`)).toBe("23505");
      // Both sets, and the switch: accepted; the same id may serve as sandbox and live id.
      await database.db.execute(sql`update provider_accounts set live_public_id = '101', live_credentials_encrypted = 'x', mode = 'live' where id = 'pac_a'`);
    } finally {
      await database.close();
      before.cleanup();
    }
  });
});
