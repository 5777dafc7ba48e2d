import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { createDatabase, migrationsFolder } from "./client";
import { rowsOf } from "./rows";

const EXPECTED_TABLES = [
  "api_idempotency_keys", "api_keys", "api_request_counts", "checkout_sessions", "invitations", "mail_messages", "members", "merchants", "notifications", "order_daily_counts", "order_items", "orders", "password_reset_tokens", "payment_daily_stats",
  "payment_events", "payment_links", "payment_time_to_pay", "payments", "product_images", "products", "provider_accounts", "provider_rate_budgets", "refunds", "sandbox_accounts", "sandbox_deliveries", "sandbox_rate_counters",
  "sandbox_transactions", "sign_in_attempts", "store_logos", "users", "webhook_attempts", "webhook_deliveries", "webhook_endpoints", "webhook_events", "webhook_secrets",
];

describe.each(TEST_DATABASES)("migrations on $name", ({ open }) => {
  it("apply from an empty database and create every table", async () => {
    const { db, close } = await open();
    try {
      const tables = rowsOf<{ table_name: string }>(
        await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`),
      ).map((r) => r.table_name);
      expect(tables).toEqual(EXPECTED_TABLES);
      const applied = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(applied[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      await close();
    }
  });
});

describe("migrations on an embedded database", () => {
  it("are applied once: reopening the same data directory is a no-op", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "caisse-mig-")), "data");
    try {
      const first = await createDatabase({ dataDir: dir });
      expect(first.created).toBe(true);
      await first.close();
      const second = await createDatabase({ dataDir: dir });
      expect(second.created).toBe(false);
      await migratePglite(second.db as never, { migrationsFolder });
      const applied = rowsOf<{ n: number }>(await second.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      const { readdirSync } = await import("node:fs");
      expect(applied[0]!.n).toBe(readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).length);
      await second.close();
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
