import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { EMAIL, failure, PHONE, useDemoMerchant } from "@/lib/testing/failing-queries";
import { processDelivery } from "@/lib/payments/notifications";
import { errorMessage, REDACT_PATHS } from "./log";

/** The line our logger writes for a failure, as lib/log.ts configures it, into memory. */
function logged(error: unknown): string {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  pino({ base: undefined, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink).error({ err: errorMessage(error) }, "query failed");
  return lines.join("");
}

describe.each(TEST_DATABASES)("database errors in the logs on $name", ({ open }) => {
  const { world, order } = useDemoMerchant(open);

  it("a unique violation logs its SQLSTATE and constraint, not the row's values", async () => {
    await world.database.db.insert(s.orders).values(order("ord_log_1", "LOGREF1"));
    const error = await failure(() => world.database.db.insert(s.orders).values(order("ord_log_2", "LOGREF1")));
    // The thrown error no longer carries them either (db/query-errors.test.ts).
    const text = logged(error);
    expect(text).toContain("23505");
    expect(text).toContain("orders_merchant_reference_key");
    for (const secret of [PHONE, EMAIL, "2250707123456", "LOGREF1"]) expect(text).not.toContain(secret);
  });

  it("a value the database cannot read (invalid input, NUL byte) is not repeated either", async () => {
    const badCast = await failure(() => world.database.db.execute(sql`select ${PHONE + "x"}::int`));
    const nul = await failure(() => world.database.db.select().from(s.orders).where(eq(s.orders.customerEmail, `${EMAIL}\u0000`)));
    for (const error of [badCast, nul]) {
      const text = logged(error);
      expect(text).toMatch(/database error [0-9A-Z]{5}/);
      expect(text).not.toContain("2250707123456");
      expect(text).not.toContain(EMAIL);
    }
  });

  it("a delivery whose check met a database error keeps a code only, for the dashboard to show", async () => {
    await world.database.db.insert(s.notifications).values({ id: "ntf_log_1", provider: "kkiapay", merchantId: world.merchantId, dedupeKey: "log-1", verdict: "unverifiable" });
    const deps = { db: world.database.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: "http://127.0.0.1:1", urlsFor: () => ({}) };
    // The payment id reaches SQL as a parameter the server refuses (a NUL byte).
    const error = await processDelivery(deps, "ntf_log_1", `pay_\u0000${PHONE}`, { evidence: {} });
    expect(error).toBeInstanceOf(Error);
    const [row] = await world.database.db.select().from(s.notifications).where(eq(s.notifications.id, "ntf_log_1"));
    expect(row!.lastError).toBe("internal_error");
    expect(logged(error)).not.toContain("2250707123456");
  });

  it("keeps the message of errors that are not the database's", () => {
    expect(errorMessage(new Error("no answer within 800 ms"))).toBe("no answer within 800 ms");
    expect(errorMessage("plain")).toBe("plain");
  });
});
