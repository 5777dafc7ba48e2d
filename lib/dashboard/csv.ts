import type { Db } from "@/db/client";
import { CURRENCIES, isCurrency } from "@/lib/money";
import type { Cursor, OrderFilters } from "./filters";
import { listOrders, type OrderRow } from "./orders";

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Cells a spreadsheet reads as a formula (OWASP, CSV injection): a tab or CR first, or = + - @
 * first once leading white space is gone (spreadsheets that trim a cell, LibreOffice's "trim
 * spaces" or a paste into Sheets, drop it before they read the formula).
 */
export const FORMULA_START = /^[\t\r]|^[ \t\n\v\f\r\u00a0]*[=+\-@]/;
/** A plain number (an E.164 phone, "-42") starts like one but cannot call anything: left as it is. */
export const PLAIN_NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?$/;

/**
 * Free text typed by a shopper or sent by a provider, as a spreadsheet must show it: a leading
 * quote makes a formula text. Only the free-text columns go through it (see rowValues): amounts
 * are numbers we write, and a negative one must stay a number. csv-copy.ts writes the same rule
 * in SQL.
 */
export function spreadsheetText<T extends string | null | undefined>(value: T): T {
  return (value && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value) as T;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/**
 * "1250.00" from 125000 KES, built from the integer (never a float), "-" sign kept. Minor
 * amounts are safe integers (lib/money), so remainder and exact division stay exact: no BigInt
 * needed on the export's hot path (three amounts per row).
 */
export function majorDecimal(amountMinor: number | null, currency: string): string {
  if (amountMinor === null) return "";
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 2;
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (!decimals) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  const fraction = abs % unit;
  return `${sign}${(abs - fraction) / unit}.${String(fraction).padStart(decimals, "0")}`;
}

export const CSV_HEADER = [
  "reference",
  "created_at",
  "customer_name",
  "customer_email",
  "customer_phone",
  "currency",
  "amount",
  "fee",
  "fee_source",
  "net",
  "provider",
  "method",
  "status",
  "provider_reference",
  "settlement_date",
  "settlement_source",
];

function rowValues(row: OrderRow) {
  const p = row.payment;
  return [
    spreadsheetText(row.reference),
    row.createdAt.toISOString(),
    spreadsheetText(row.customerName),
    spreadsheetText(row.customerEmail),
    spreadsheetText(row.customerPhone),
    row.currency,
    majorDecimal(row.amountMinor, row.currency),
    majorDecimal(row.feeMinor, row.currency),
    row.feeMinor === null ? "" : row.feeReported ? "reported" : "estimated",
    majorDecimal(row.netMinor, row.currency),
    p?.provider,
    spreadsheetText(p?.method),
    p?.status ?? row.orderStatus,
    spreadsheetText(p?.providerReference),
    p?.settlementDate,
    p?.settlementDate ? (p.settlementReported ? "reported" : "estimated") : "",
  ];
}

/**
 * The filtered set as CSV, one keyset page at a time (the export on the embedded database, and
 * the reference the COPY export of csv-copy.ts must match byte for byte): memory stays flat whatever the number of
 * orders (at most two pages in hand), and the client starts receiving bytes before the last page
 * is read. The next page's query is sent before the current one is formatted, so the database
 * and the formatting work at the same time.
 */
export function ordersCsvStream(db: Db, merchantId: string, filters: OrderFilters, pageSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  type Page = Awaited<ReturnType<typeof listOrders>>;
  // The export is the whole filtered set, whatever page the merchant was looking at.
  const fetchPage = (cursor: Cursor | undefined): Promise<Page> => {
    const page = listOrders(db, merchantId, { ...filters, cursor }, pageSize);
    // A download cancelled mid-way leaves this promise unawaited: never an unhandled rejection.
    page.catch(() => {});
    return page;
  };
  let next: Promise<Page> | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        next = fetchPage(undefined);
        controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
        return;
      }
      const page = await next!;
      next = page.next ? fetchPage(page.next) : null;
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => csvLine(rowValues(r))).join("")));
      if (!next) controller.close();
    },
  });
}
