import { sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { orders } from "@/db/schema";
import { inlineParams } from "@/db/sql-literal";
import { CURRENCIES } from "@/lib/money";
import { validZone } from "@/lib/time/store-clock";
import { CSV_HEADER, FORMULA_FIRST_CODES, csvHead, csvSeparator, ordersCsvStream, type CsvOptions } from "./csv";
import type { OrderFilters } from "./filters";
import { mainPaymentQuery, orderSelection } from "./orders";

/**
 * The CSV export on a PostgreSQL server: one `COPY (SELECT …) TO STDOUT (FORMAT csv)`, the
 * server formatting every field, instead of keyset pages mapped and formatted in JS (~20k rows/s
 * at a million orders, bench/RESULTS.md). Same bytes as the keyset export (csv.ts): the rows
 * come from the same WHERE and ORDER BY (orderSelection), and each column below is csv.ts's
 * rowValues() written in SQL.
 *
 * COPY takes no bind parameters, so the filter values are rendered as literals
 * (db/sql-literal.ts, quote_literal()'s rules) into the statement drizzle builds from the very
 * builders the list uses. The other way, values passed to set_config() and read back with
 * current_setting(), keeps them out of the text, but the planner then sees an unknown value
 * where it needs a constant: LIKE 'prefix%' no longer becomes an index range, so a search by
 * reference, phone or e-mail seq-scans the orders instead of probing the pattern indexes
 * (EXPLAIN ANALYZE at 300k orders per merchant: 275–335 ms instead of 0.8–7 ms; unfiltered,
 * date and amount exports planned alike). Literals keep the plans of the keyset pages.
 */

/** NULL for '': PostgreSQL's CSV quotes an empty string ("") to tell it from NULL; csvField writes nothing for both. */
const text = (value: SQL) => sql`nullif(${value}, '')`;

/**
 * spreadsheetText() of csv.ts for the free-text columns: a leading quote before a formula
 * (tab or CR first, or = + - @ after any leading white space), a plain number left alone. chr()
 * and backslash-free patterns keep the statement the same whatever standard_conforming_strings says.
 * The regular expressions run only on a cell whose first character could start a formula
 * (FORMULA_FIRST_CODES; ascii() is the first code point): six such columns a row, nearly all
 * starting with a letter or a digit, and the regex was the export's costliest expression.
 */
const FORMULA_START_SQL = sql.raw(`'^[' || chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || ']*[=+@-]'`);
const FORMULA_FIRST_SQL = sql.raw(FORMULA_FIRST_CODES.join(", "));
const freeText = (value: SQL) =>
  text(
    sql`case when ascii(${value}) in (${FORMULA_FIRST_SQL}) and (left(${value}, 1) in (chr(9), chr(13)) or ${value} ~ (${FORMULA_START_SQL})) and ${value} !~ '^[+-]?[0-9]+([.][0-9]+)?$' then '''' || ${value} else ${value} end`,
  );

/** majorDecimal(): integer division and remainder by 10^decimals of the row's currency (2 when unknown); "," as the point for Excel (FR). */
function majorDecimalSql(amount: SQL, point: "." | ","): SQL {
  const format = (decimals: number) => {
    if (!decimals) return sql`${amount}::text`;
    const unit = sql.raw(`${10 ** decimals}`);
    return sql`case when ${amount} < 0 then '-' else '' end || (abs(${amount}) / ${unit})::text || ${sql.raw(`'${point}'`)} || lpad((abs(${amount}) % ${unit})::text, ${sql.raw(`${decimals}`)}, '0')`;
  };
  const byDecimals = new Map<number, string[]>();
  for (const [code, { decimals }] of Object.entries(CURRENCIES)) byDecimals.set(decimals, [...(byDecimals.get(decimals) ?? []), code]);
  const arms = [...byDecimals]
    .filter(([decimals]) => decimals !== 2)
    .map(([decimals, codes]) => sql`when ${orders.currency} in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)}) then ${format(decimals)}`);
  return sql`case when ${amount} is null then null ${sql.join(arms, sql` `)} else ${format(2)} end`;
}

/**
 * The export the route serves: COPY where the database offers it (a PostgreSQL server), the
 * keyset pages otherwise (the embedded PGlite of `npm run dev`).
 */
export function exportOrdersCsv(database: Pick<Database, "db" | "copyToStdout">, merchantId: string, filters: OrderFilters, options: CsvOptions): ReadableStream<Uint8Array> {
  if (!database.copyToStdout) return ordersCsvStream(database.db, merchantId, filters, options);
  const head = new TextEncoder().encode(csvHead(options.variant));
  return database.copyToStdout(ordersCopyQuery(database.db, merchantId, filters, options)).pipeThrough(crlfRecords(head));
}

export function ordersCopyQuery(db: Db, merchantId: string, filters: OrderFilters, options: CsvOptions): string {
  return `copy (${ordersCopySelect(db, merchantId, filters, options)}) to stdout with (format csv, delimiter '${csvSeparator(options.variant)}', encoding 'UTF8')`;
}

/**
 * localIsoFormatter() of lib/time: the wall clock in the store's zone to the second, then the
 * offset at that instant as ±HH:MM, the difference of the local and UTC wall clocks (to_char's
 * TZH:TZM would follow the session's zone, and a COPY cannot set one). An interval through
 * to_char rather than minutes through extract(): half the cost per row (1M rows, EXPLAIN-free
 * count: ~1.6 s against ~3 s), and this runs on every row of the export.
 */
function localIsoSql(at: SQL, timeZone: string): SQL {
  const zone = validZone(timeZone);
  const local = sql`(${at} at time zone ${zone})`;
  const utc = sql`(${at} at time zone 'UTC')`;
  return sql`to_char(${local}, 'YYYY-MM-DD"T"HH24:MI:SS') || case when ${local} < ${utc} then '-' || to_char(${utc} - ${local}, 'HH24:MI') else '+' || to_char(${local} - ${utc}, 'HH24:MI') end`;
}

/** The SELECT the COPY runs, values inlined (also what the benchmark EXPLAINs). */
export function ordersCopySelect(db: Db, merchantId: string, filters: OrderFilters, options: CsvOptions): string {
  const point = options.variant === "excel-fr" ? "," : ".";
  const p = mainPaymentQuery(db);
  const { where, orderBy } = orderSelection(db, merchantId, { ...filters, cursor: undefined }, p);
  const fee = sql`coalesce(${p.feeReportedMinor}, ${p.feeEstimatedMinor})`;
  const columns: Record<string, SQL> = {
    reference: freeText(sql`${orders.reference}`),
    created_at: localIsoSql(sql`${orders.createdAt}`, options.timeZone),
    customer_name: freeText(sql`${orders.customerName}`),
    customer_email: freeText(sql`${orders.customerEmail}`),
    customer_phone: freeText(sql`${orders.customerPhone}`),
    currency: text(sql`${orders.currency}`),
    amount: majorDecimalSql(sql`${orders.amountMinor}`, point),
    fee: majorDecimalSql(fee, point),
    fee_source: sql`case when ${fee} is null then null when ${p.feeReportedMinor} is not null then 'reported' else 'estimated' end`,
    net: majorDecimalSql(sql`coalesce(${p.netMinor}, ${orders.amountMinor} - ${fee})`, point),
    provider: sql`${p.provider}::text`,
    method: freeText(sql`${p.method}`),
    status: sql`coalesce(${p.status}::text, ${orders.status}::text)`,
    provider_reference: freeText(sql`${p.providerReference}`),
    settlement_date: sql`to_char(${p.settlementDate}, 'YYYY-MM-DD')`,
    settlement_source: sql`case when ${p.settlementDate} is null then null when ${p.settlementReported} then 'reported' else 'estimated' end`,
  };
  const query = db
    .select(Object.fromEntries(CSV_HEADER.map((name) => [name, columns[name]!])))
    .from(orders)
    .leftJoinLateral(p, sql`true`)
    .where(where)
    .orderBy(...orderBy)
    .toSQL();
  return inlineParams(query.sql, query.params);
}

/**
 * PostgreSQL ends records with LF, csvLine with CRLF (RFC 4180). A line break inside a quoted
 * field is data and stays as it is: the quote state is followed across chunks (a doubled quote
 * flips it twice). `first` (the header line) goes out before the first record.
 */
export function crlfRecords(first?: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  let quoted = false;
  return new TransformStream({
    start(controller) {
      if (first) controller.enqueue(first);
    },
    transform(chunk, controller) {
      // indexOf (memchr) rather than a loop over every byte: this runs over the whole export.
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const ends: number[] = [];
      let i = 0;
      while (i < bytes.length) {
        if (quoted) {
          const close = bytes.indexOf(QUOTE, i);
          if (close < 0) break;
          quoted = false;
          i = close + 1;
          continue;
        }
        const lf = bytes.indexOf(LF, i);
        const open = bytes.indexOf(QUOTE, i);
        if (open >= 0 && (lf < 0 || open < lf)) {
          quoted = true;
          i = open + 1;
        } else if (lf >= 0) {
          ends.push(lf);
          i = lf + 1;
        } else break;
      }
      if (!ends.length) return controller.enqueue(chunk);
      const out = Buffer.allocUnsafe(bytes.length + ends.length);
      let from = 0;
      let at = 0;
      for (const end of ends) {
        at += bytes.copy(out, at, from, end);
        out[at++] = CR;
        out[at++] = LF;
        from = end + 1;
      }
      bytes.copy(out, at, from);
      controller.enqueue(out);
    },
  });
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
