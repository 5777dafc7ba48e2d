import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { filtersToQuery, parseOrderFilters } from "@/lib/dashboard/filters";
import { listOrders, merchantMethods } from "@/lib/dashboard/orders";
import { OrdersFiltersForm } from "./_components/filters-form";
import { OrdersCards, OrdersTable } from "./_components/orders-list";

export const metadata = { title: "Orders" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OrdersPage({ searchParams }: Props) {
  const ctx = await requireMerchant("view");
  const raw = await searchParams;
  const filters = parseOrderFilters(raw, ctx.merchant);
  const db = await getDb();
  const exportHref = `/dashboard/orders/export${filtersToQuery(raw)}`;
  const [page, methods, t] = await Promise.all([listOrders(db, ctx.merchant.id, filters), merchantMethods(db, ctx.merchant.id), getTranslations("orderList")]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <OrdersFiltersForm raw={raw} filters={filters} methods={methods} currency={ctx.merchant.currency} timeZone={ctx.merchant.timeZone} />
      <p className="text-sm text-stone-600" data-testid="orders-shown" data-count={page.rows.length}>
        {t("shown", { count: page.rows.length })}
      </p>
      {page.rows.length === 0 ? (
        <p className="rounded-xl border border-dashed border-stone-300 p-6 text-center text-stone-600" data-testid="orders-empty">
          {t("empty")}
        </p>
      ) : (
        <>
          <OrdersTable rows={page.rows} timeZone={ctx.merchant.timeZone} />
          <OrdersCards rows={page.rows} timeZone={ctx.merchant.timeZone} />
        </>
      )}
      <div className="flex flex-wrap gap-2">
        {filters.cursor && (
          <Link href={`/dashboard/orders${filtersToQuery(raw)}`} className={buttonClass("secondary")} data-testid="page-first">
            {t("first")}
          </Link>
        )}
        {page.nextCursor && (
          <Link href={`/dashboard/orders${filtersToQuery(raw, { cursor: page.nextCursor })}`} className={buttonClass("secondary")} data-testid="page-next">
            {t("next")}
          </Link>
        )}
      </div>
      {/* The downloads follow the list they copy: on a phone they no longer push it off the first screen. */}
      <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
        {t("download")}
        <a href={exportHref} className={buttonClass("secondary")} data-testid="export-csv" download>
          {t("exportCsv")}
        </a>
        <a href={`${exportHref}${exportHref.includes("?") ? "&" : "?"}variant=excel-fr`} className={buttonClass("secondary")} data-testid="export-excel-fr" download>
          {t("exportExcelFr")}
        </a>
      </p>
    </div>
  );
}
