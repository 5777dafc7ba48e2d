import type { Db } from "@/db/client";
import { CURRENCIES, isCurrency } from "@/lib/money";
import type { Cursor, OrderFilters } from "./filters";
import { listOrders, type OrderRow } from "./orders";

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** "1250.00" from 125000 KES, built from the integer (never a float), "-" sign kept. */
export function majorDecimal(amountMinor: number | null, currency: string): string {
  if (amountMinor === null) return "";
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 2;
  const abs = BigInt(Math.abs(amountMinor));
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString();
  const sign = amountMinor < 0 ? "-" : "";
  return decimals ? `${sign}${whole}.${(abs % unit).toString().padStart(decimals, "0")}` : `${sign}${whole}`;
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
    row.reference,
    row.createdAt.toISOString(),
    row.customerName,
    row.customerEmail,
    row.customerPhone,
    row.currency,
    majorDecimal(row.amountMinor, row.currency),
    majorDecimal(row.feeMinor, row.currency),
    row.feeMinor === null ? "" : row.feeReported ? "reported" : "estimated",
    majorDecimal(row.netMinor, row.currency),
    p?.provider,
    p?.method,
    p?.status ?? row.orderStatus,
    p?.providerReference,
    p?.settlementDate,
    p?.settlementDate ? (p.settlementReported ? "reported" : "estimated") : "",
  ];
}

/**
 * The filtered set as CSV, one keyset page at a time: memory stays flat whatever the number of
 * orders, and the client starts receiving bytes before the last page is read.
 */
export function ordersCsvStream(db: Db, merchantId: string, filters: OrderFilters, pageSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  // The export is the whole filtered set, whatever page the merchant was looking at.
  let cursor: Cursor | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
        return;
      }
      const page = await listOrders(db, merchantId, { ...filters, cursor }, pageSize);
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => csvLine(rowValues(r))).join("")));
      if (!page.next) {
        controller.close();
        return;
      }
      cursor = page.next;
    },
  });
}
