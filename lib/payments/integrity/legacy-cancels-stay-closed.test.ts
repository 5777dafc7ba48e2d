import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/invariants";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { migrateToLatest, migrationsBefore } from "@/lib/testing/migrations";
import { dueAccounts } from "../reconcile-claims";

/**
 * Review 2 of issue 12 (migration 0009 and the late checks of 94ce632). Reconciliation now claims
 * every failed/cancelled/expired payment whose next_check_at is due, taking next_check_at as
 * "its one late check". Before 0007, a shopper's cancel (handleReturn's applyTransition to
 * cancelled, patch { failureCode } only) left next_check_at as the check just before had set it:
 * every legacy cancelled payment carries a stale, long past next_check_at. 0009 leaves them so,
 * and after the deploy every cancel the merchant ever had is "due": months-old attempts are asked
 * about again (Orange about pay_tokens long dead), in one backlog that takes the accounts' budgets.
 */
describe.each(TEST_DATABASES)("legacy cancelled payments after migration 0009, on $name", ({ open }) => {
  it("a payment cancelled by the shopper under the old code is not due for a check after the migrations", async () => {
    const before = migrationsBefore("0007_money_integrity");
    const database = await open({ migrationsFolder: before.folder });
    try {
      await database.db.execute(sql`insert into merchants (id, slug, name, country, currency) values ('mer_a', 'a', 'A', 'CI', 'XOF')`);
      await database.db.execute(sql`
        insert into provider_accounts (id, merchant_id, provider, mode, public_id, credentials_encrypted)
        values ('acc_a', 'mer_a', 'orange-money', 'live', 'om-a', 'x')`);
      await database.db.execute(sql`
        insert into orders (id, merchant_id, reference, amount_minor, currency, customer_name, customer_country)
        values ('ord_a', 'mer_a', '250101-AAAAAA', 5000, 'XOF', 'Awa', 'CI')`);
      // As the code before 0007 left it: cancelled by the shopper, its last check's next_check_at kept.
      await database.db.execute(sql`
        insert into payments (id, order_id, merchant_id, provider_account_id, provider, method, reference, amount_minor, currency, status, failure_code, next_check_at, created_at, updated_at)
        values ('pay_a', 'ord_a', 'mer_a', 'acc_a', 'orange-money', 'orange_money', 'CS250101LEGACY0002', 5000, 'XOF', 'cancelled', 'cancelled_by_shopper',
                '2025-01-01 10:00:15+00', '2025-01-01 10:00:00+00', '2025-01-01 10:00:16+00')`);
      await database.db.execute(sql`
        insert into payment_events (payment_id, merchant_id, type, from_status, to_status, actor, data) values
          ('pay_a', 'mer_a', 'transition', 'created', 'waiting_for_customer', 'orange-money', '{}'::jsonb),
          ('pay_a', 'mer_a', 'transition', 'waiting_for_customer', 'cancelled', 'shopper', '{}'::jsonb)`);

      await migrateToLatest(database);

      // Today: the account has one check due, for a cancel from January 2025.
      expect(await dueAccounts(database.db, new Date())).toEqual([]);
      expect(await checkLedger(database.db)).toEqual([]);
    } finally {
      await database.close();
      before.cleanup();
    }
  });
});
