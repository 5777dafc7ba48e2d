import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { errorMessage } from "@/lib/log";
import { uniqueViolation } from "@/lib/payments/transitions";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { EMAIL, failure, PHONE, useDemoMerchant } from "@/lib/testing/failing-queries";
import * as s from "./schema";

/**
 * Issue 13 item 7: a failing query's error reaches loggers we do not write (Next's own
 * uncaught-error output, next-auth's, pg-boss's) as an object, printed whole. drizzle's error
 * says "Failed query: … params: …" and the driver's cause quotes rows ("Key (…)=(…)"), so the
 * error a query throws must carry neither: its SQLSTATE and the names it hit, nothing else.
 */
const SECRETS = [PHONE, "2250707123456", EMAIL, "QERR-REF-1"];

/** Every way a logger prints an error: console.error (Next), inspect, the stack, String, JSON. */
function printed(error: Error): string {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  new Console({ stdout: sink, stderr: sink }).error(error);
  return [lines.join(""), inspect(error, { depth: 10, showHidden: true }), String(error), error.stack ?? "", JSON.stringify(error)].join("\n");
}

function expectNothingQuoted(error: Error) {
  const text = printed(error);
  for (const secret of SECRETS) expect(text, text).not.toContain(secret);
}

describe.each(TEST_DATABASES)("what a failing query's error carries, on $name", ({ open }) => {
  const { world, order: orderWith } = useDemoMerchant(open);
  const order = (id: string) => orderWith(id, "QERR-REF-1");

  it("a unique violation: its code and constraint, not the row's values", async () => {
    await world.database.db.insert(s.orders).values(order("ord_qerr_1"));
    const error = await failure(() => world.database.db.insert(s.orders).values(order("ord_qerr_2")));
    expectNothingQuoted(error);
    // What code above the database still decides on.
    expect(errorMessage(error)).toContain("23505");
    expect(errorMessage(error)).toContain("orders_merchant_reference_key");
    expect(uniqueViolation(error, "orders_merchant_reference_key")).toBe(true);
    expect((error as Error & { code?: string }).code).toBe("23505");
  });

  it("a value the server refuses (NUL, a failed cast), inside a transaction too", async () => {
    const nul = await failure(() => world.database.db.select().from(s.orders).where(eq(s.orders.customerEmail, `${EMAIL}\u0000`)));
    const cast = await failure(() => world.database.db.execute(sql`select ${PHONE}::int`));
    const inTransaction = await failure(() => world.database.db.transaction((tx) => tx.update(s.orders).set({ customerPhone: PHONE }).where(eq(s.orders.id, `ord_${PHONE}\u0000`))));
    for (const error of [nul, cast, inTransaction]) {
      expectNothingQuoted(error);
      expect(errorMessage(error)).toMatch(/database error 22[0-9A-Z]{3}/);
    }
  });

  it("a query that never reached a server (the connection is gone) names no parameter either", async () => {
    const gone = await open();
    await gone.close();
    const error = await failure(() => gone.db.select().from(s.orders).where(eq(s.orders.customerPhone, PHONE)));
    expectNothingQuoted(error);
    expect(errorMessage(error)).toMatch(/^database query failed/);
  });
});
