import { getDatabase } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { parseCsvVariant } from "@/lib/dashboard/csv";
import { exportOrdersCsv } from "@/lib/dashboard/csv-copy";
import { parseOrderFilters } from "@/lib/dashboard/filters";
import { localIsoFormatter } from "@/lib/time/local-iso";

// The merchant comes from the session only; the query string can narrow the set, never widen it.
export async function GET(request: Request) {
  const ctx = await requireMerchant("export");
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const filters = parseOrderFilters(raw, ctx.merchant);
  // One COPY on a PostgreSQL server, keyset pages on the embedded database (lib/dashboard/csv-copy.ts).
  const variant = parseCsvVariant(raw.variant);
  const timeZone = ctx.merchant.timeZone;
  const stream = exportOrdersCsv(await getDatabase(), ctx.merchant.id, filters, { variant, timeZone });
  const day = localIsoFormatter(timeZone)(new Date()).slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="orders-${ctx.merchant.slug}-${day}${variant === "excel-fr" ? "-excel-fr" : ""}.csv"`,
      "cache-control": "no-store",
    },
  });
}
