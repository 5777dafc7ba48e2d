import type { Db } from "@/db/client";
import { CURRENCIES, isCurrency } from "@/lib/money";
import type { Cursor, OrderFilters } from "./filters";
import { localIsoFormatter } from "@/lib/time/local-iso";
import { listOrders, type OrderRow } from "./orders";

/**
 * The plain CSV (RFC 4180, "," and "1250.00"), or the one a French Excel opens into columns
 * and numbers: ";" between fields and "1250,00". Both start with a UTF-8 byte-order mark, which
 * Excel needs to read "Éloïse" as UTF-8 rather than Windows-1252.
 */
export type CsvVariant = "csv" | "excel-fr";
export const CSV_BOM = "\ufeff";
export type CsvOptions = { variant: CsvVariant; timeZone: string };

/** The `variant` query parameter: anything but "excel-fr" is the plain CSV (a bad link still downloads). */
export function parseCsvVariant(value: unknown): CsvVariant {
  return value === "excel-fr" ? "excel-fr" : "csv";
}

export const csvSeparator = (variant: CsvVariant) => (variant === "excel-fr" ? ";" : ",");
const NEEDS_QUOTES = { csv: /[",\r\n]/, "excel-fr": /[";\r\n]/ } as const;

/** RFC 4180: quote a field holding the separator, a quote or a line break; double the quotes inside. */
export function csvField(value: string | number | null | undefined, variant: CsvVariant = "csv"): string {
  const text = value === null || value === undefined ? "" : String(value);
  return NEEDS_QUOTES[variant].test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
  return (value && FORMULA_FIRST.has(value.charCodeAt(0)) && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value) as T;
}

/**
 * The first characters FORMULA_START can match at (its white space, then = + - @): a cell
 * starting with anything else is no formula, and both regular expressions are skipped for it
 * (here and in csv-copy.ts's SQL, where they were the export's costliest expression).
 */
export const FORMULA_FIRST_CODES = [9, 10, 11, 12, 13, 32, 43, 45, 61, 64, 160] as const;
const FORMULA_FIRST = new Set<number>(FORMULA_FIRST_CODES);

export function csvLine(values: (string | number | null | undefined)[], variant: CsvVariant = "csv"): string {
  // One string grown field by field: this runs once per exported row.
  const separator = csvSeparator(variant);
  let line = csvField(values[0], variant);
  for (let i = 1; i < values.length; i++) line += separator + csvField(values[i], variant);
  return line + "\r\n";
}

/** What comes before the first record: the byte-order mark and the header line. */
export const csvHead = (variant: CsvVariant) => CSV_BOM + csvLine(CSV_HEADER, variant);

/**
 * "1250.00" from 125000 KES, built from the integer (never a float), "-" sign kept. Minor
 * amounts are safe integers (lib/money), so remainder and exact division stay exact: no BigInt
 * needed on the export's hot path (three amounts per row).
 */
export function majorDecimal(amountMinor: number | null, currency: string, point: "." | "," = "."): string {
  if (amountMinor === null) return "";
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 2;
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (!decimals) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  const fraction = abs % unit;
  return `${sign}${(abs - fraction) / unit}${point}${String(fraction).padStart(decimals, "0")}`;
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

function rowFormatter({ variant, timeZone }: CsvOptions) {
  const at = localIsoFormatter(timeZone);
  const point = variant === "excel-fr" ? "," : ".";
  const amount = (minor: number | null, currency: string) => majorDecimal(minor, currency, point);
  return (row: OrderRow) => csvLine(rowValues(row, at, amount), variant);
}

function rowValues(row: OrderRow, at: (d: Date) => string, majorDecimal: (minor: number | null, currency: string) => string) {
  const p = row.payment;
  return [
    spreadsheetText(row.reference),
    at(row.createdAt),
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
export function ordersCsvStream(db: Db, merchantId: string, filters: OrderFilters, options: CsvOptions, pageSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const line = rowFormatter(options);
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
        controller.enqueue(encoder.encode(csvHead(options.variant)));
        return;
      }
      const page = await next!;
      next = page.next ? fetchPage(page.next) : null;
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map(line).join("")));
      if (!next) controller.close();
    },
  });
}
