import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/invariants";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { migrateToLatest, migrationsBefore } from "@/lib/testing/migrations";

/**
 * Issue 12 (found in review) item 4 and the ledger check: before 0007 an undecided payment could be left
 * with no next check (the code of the time cleared next_check_at when a final answer's transition
 * was refused, and the insert did not schedule one). Reconciliation now treats such rows as due,
 * but migration 0007 leaves them as they are, so `npm run ledger:check` run right after the
 * deploy reports every one of them as a broken invariant although nothing is wrong.
 */
describe.each(TEST_DATABASES)("migration 0007 on legacy undecided rows, on $name", ({ open }) => {
  it("a legacy undecided payment without a scheduled check does not break the ledger after the migration", async () => {
    const before = migrationsBefore("0007_money_integrity");
    const database = await open({ migrationsFolder: before.folder });
    try {
      await database.db.execute(sql`insert into merchants (id, slug, name, country, currency) values ('mer_a', 'a', 'A', 'CI', 'XOF')`);
      await database.db.execute(sql`
        insert into orders (id, merchant_id, reference, amount_minor, currency, customer_name, customer_country)
        values ('ord_a', 'mer_a', '250101-AAAAAA', 5000, 'XOF', 'Awa', 'CI')`);
      await database.db.execute(sql`
        insert into payments (id, order_id, merchant_id, provider, method, reference, amount_minor, currency, status, next_check_at)
        values ('pay_a', 'ord_a', 'mer_a', 'cinetpay', 'orange_money', 'CS250101LEGACY0001', 5000, 'XOF', 'pending', null)`);
      await database.db.execute(sql`
        insert into payment_events (payment_id, merchant_id, type, from_status, to_status, actor, data)
        values ('pay_a', 'mer_a', 'transition', 'created', 'pending', 'cinetpay', '{}'::jsonb)`);

      await migrateToLatest(database);

      expect((await checkLedger(database.db)).map((v) => v.name)).toEqual([]);
    } finally {
      await database.close();
      before.cleanup();
    }
  });
});
