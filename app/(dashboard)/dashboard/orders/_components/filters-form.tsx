import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { STATUS_FILTERS, type OrderFilters } from "@/lib/dashboard/filters";
import { PROVIDERS } from "@/lib/payments/registry";

const selectClass = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base text-stone-900";

type Raw = Record<string, string | string[] | undefined>;
const first = (raw: Raw, key: string) => {
  const v = raw[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

/**
 * A plain GET form: submitting it writes the filters into the URL, so a filtered view can be
 * bookmarked, shared and reloaded, and works before any JavaScript runs.
 */
export async function OrdersFiltersForm({ raw, filters, methods, exportHref, timeZone }: { raw: Raw; filters: OrderFilters; methods: string[]; exportHref: string; timeZone: string }) {
  const [t, td, ts] = await Promise.all([getTranslations("orderList"), getTranslations("dashboard"), getTranslations("paymentStatus")]);
  return (
    <form method="get" action="/dashboard/orders" className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="orders-filters">
      <div>
        <Label htmlFor="q">{t("search")}</Label>
        <Input
          id="q"
          name="q"
          type="search"
          defaultValue={filters.q ?? first(raw, "q")}
          placeholder={t("searchPlaceholder")}
          aria-invalid={filters.qError ? true : undefined}
          aria-describedby={filters.qError ? "q-error" : undefined}
          data-testid="filter-q"
        />
        {filters.qError && (
          <p id="q-error" role="alert" className="mt-1 text-sm text-red-700" data-testid="filter-q-error">
            {t(filters.qError)}
          </p>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <div>
          <Label htmlFor="status">{td("status")}</Label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={selectClass} data-testid="filter-status">
            <option value="">{t("anyStatus")}</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {ts(s)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="provider">{td("provider")}</Label>
          <select id="provider" name="provider" defaultValue={filters.provider ?? ""} className={selectClass} data-testid="filter-provider">
            <option value="">{t("anyProvider")}</option>
            {Object.values(PROVIDERS).map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="method">{td("method")}</Label>
          <select id="method" name="method" defaultValue={filters.method ?? ""} className={selectClass} data-testid="filter-method">
            <option value="">{t("anyMethod")}</option>
            {methods.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="sort">{t("sort")}</Label>
          <select id="sort" name="sort" defaultValue={filters.sort} className={selectClass} data-testid="filter-sort">
            <option value="created">{t("sortCreated")}</option>
            <option value="amount">{t("sortAmount")}</option>
          </select>
        </div>
        <div>
          <Label htmlFor="from">{t("from")}</Label>
          <Input id="from" name="from" type="date" defaultValue={filters.from ?? ""} aria-describedby="dates-local" data-testid="filter-from" />
        </div>
        <div>
          <Label htmlFor="to">{t("to")}</Label>
          <Input id="to" name="to" type="date" defaultValue={filters.to ?? ""} aria-describedby="dates-local" data-testid="filter-to" />
        </div>
        <p id="dates-local" className="col-span-2 text-xs text-stone-500 md:col-span-4">
          {t("datesLocal", { zone: timeZone })}
        </p>
        <div>
          <Label htmlFor="min">{t("min")}</Label>
          <Input id="min" name="min" inputMode="decimal" defaultValue={first(raw, "min")} data-testid="filter-min" />
        </div>
        <div>
          <Label htmlFor="max">{t("max")}</Label>
          <Input id="max" name="max" inputMode="decimal" defaultValue={first(raw, "max")} data-testid="filter-max" />
        </div>
        <div>
          <Label htmlFor="dir">{t("dir")}</Label>
          <select id="dir" name="dir" defaultValue={filters.dir} className={selectClass} data-testid="filter-dir">
            <option value="desc">{t("desc")}</option>
            <option value="asc">{t("asc")}</option>
          </select>
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} data-testid="filter-apply">
          {t("apply")}
        </button>
        <Link href="/dashboard/orders" className={buttonClass("secondary")} data-testid="filter-reset">
          {t("reset")}
        </Link>
        <a href={exportHref} className={buttonClass("secondary")} data-testid="export-csv" download>
          {t("exportCsv")}
        </a>
        <a href={`${exportHref}${exportHref.includes("?") ? "&" : "?"}variant=excel-fr`} className={buttonClass("secondary")} data-testid="export-excel-fr" download>
          {t("exportExcelFr")}
        </a>
      </div>
    </form>
  );
}
