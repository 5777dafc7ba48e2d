import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/db/seed";
import { errorMessage } from "@/lib/log";
import { uniqueViolation } from "@/lib/payments/transitions";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import type { Database } from "./client";
import * as s from "./schema";

/**
 * Issue 13 item 7: a failing query's error reaches loggers we do not write (Next's own
 * uncaught-error output, next-auth's, pg-boss's) as an object, printed whole. drizzle's error
 * says "Failed query: … params: …" and the driver's cause quotes rows ("Key (…)=(…)"), so the
 * error a query throws must carry neither: its SQLSTATE and the names it hit, nothing else.
 */
const PHONE = "+2250707123456";
const EMAIL = "awa.secret@example.test";
const SECRETS = [PHONE, "2250707123456", EMAIL, "QERR-REF-1"];

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the query was expected to fail");
}

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
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    merchantId = (await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo")))[0]!.id;
  });
  afterAll(async () => {
    await database?.close();
  });

  const order = (id: string) => ({
    id, merchantId, reference: "QERR-REF-1", amountMinor: 1000, currency: "XOF", customerName: "Awa Koné", customerEmail: EMAIL, customerPhone: PHONE, customerCountry: "CI",
  });

  it("a unique violation: its code and constraint, not the row's values", async () => {
    await database.db.insert(s.orders).values(order("ord_qerr_1"));
    const error = await failure(() => database.db.insert(s.orders).values(order("ord_qerr_2")));
    expectNothingQuoted(error);
    // What code above the database still decides on.
    expect(errorMessage(error)).toContain("23505");
    expect(errorMessage(error)).toContain("orders_merchant_reference_key");
    expect(uniqueViolation(error, "orders_merchant_reference_key")).toBe(true);
    expect((error as Error & { code?: string }).code).toBe("23505");
  });

  it("a value the server refuses (NUL, a failed cast), inside a transaction too", async () => {
    const nul = await failure(() => database.db.select().from(s.orders).where(eq(s.orders.customerEmail, `${EMAIL}\u0000`)));
    const cast = await failure(() => database.db.execute(sql`select ${PHONE}::int`));
    const inTransaction = await failure(() => database.db.transaction((tx) => tx.update(s.orders).set({ customerPhone: PHONE }).where(eq(s.orders.id, `ord_${PHONE}\u0000`))));
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
