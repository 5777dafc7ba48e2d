import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { activeFilterChips, type ChipKey } from "@/lib/dashboard/filter-chips";
import { STATUS_FILTERS, type OrderFilters } from "@/lib/dashboard/filters";
import { methodLabeler } from "@/lib/i18n/method-label";
import { formatMoney, type Locale } from "@/lib/money";
import { getProvider, PROVIDERS } from "@/lib/payments/registry";
import { calendarDay } from "@/lib/time/store-clock";

const selectClass = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base text-stone-900";

type Raw = Record<string, string | string[] | undefined>;

/** A labelled select of the panel; an empty value means "any". */
function SelectField({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <Label htmlFor={name}>{label}</Label>
      <select id={name} name={name} defaultValue={value} className={selectClass} data-testid={`filter-${name}`}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
const first = (raw: Raw, key: string) => {
  const v = raw[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

/**
 * A plain GET form: submitting it writes the filters into the URL, so a filtered view can be
 * bookmarked, shared and reloaded, and works before any JavaScript runs. One row (search, apply,
 * "Filters") at every width, the other fields behind the "Filters" <details>: on a 360 px phone
 * the first order shows on the first screen, and at 1280 px the form no longer fills it. The
 * panel opens over the list, like a menu. The filters in force are chips under the row, each a
 * link that drops it.
 */
export async function OrdersFiltersForm({ raw, filters, methods, currency, timeZone }: { raw: Raw; filters: OrderFilters; methods: string[]; currency: string; timeZone: string }) {
  const [t, td, ts, locale, method] = await Promise.all([getTranslations("orderList"), getTranslations("dashboard"), getTranslations("paymentStatus"), getLocale(), methodLabeler()]);
  const chips = activeFilterChips(raw, filters);
  const money = (minor: number | undefined) => (minor === undefined ? "" : formatMoney(minor, currency, locale as Locale));
  const chipText: Record<ChipKey, () => string> = {
    q: () => t("chip.q", { value: filters.q ?? "" }),
    status: () => t("chip.status", { value: filters.status ? ts(filters.status) : "" }),
    provider: () => (filters.provider ? getProvider(filters.provider).displayName : ""),
    method: () => method(filters.method),
    from: () => t("chip.from", { date: filters.from ? calendarDay(locale, filters.from) : "" }),
    to: () => t("chip.to", { date: filters.to ? calendarDay(locale, filters.to) : "" }),
    min: () => t("chip.min", { amount: money(filters.minMinor) }),
    max: () => t("chip.max", { amount: money(filters.maxMinor) }),
  };
  return (
    <form method="get" action="/dashboard/orders" className="relative space-y-2" data-testid="orders-filters">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-[1_1_12rem]">
          <Label htmlFor="q" className="sr-only">
            {t("search")}
          </Label>
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
        <button type="submit" className={buttonClass("primary")} data-testid="filter-apply">
          {t("apply")}
        </button>
        <details className="group" data-testid="filters-panel">
          <summary className={buttonClass("secondary", "cursor-pointer list-none [&::-webkit-details-marker]:hidden")} data-testid="filters-toggle">
            {t("filters")}
            {chips.length > 0 && <span className="rounded-full bg-brand-700 px-2 text-xs text-white">{chips.length}</span>}
            <span aria-hidden="true" className="group-open:rotate-180">
              ▾
            </span>
          </summary>
          <div className="absolute inset-x-0 z-20 mt-2 rounded-xl border border-stone-200 bg-white p-3 shadow-lg">
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8">
              <SelectField name="status" label={td("status")} value={filters.status ?? ""} options={[{ value: "", label: t("anyStatus") }, ...STATUS_FILTERS.map((v) => ({ value: v, label: ts(v) }))]} />
              <SelectField name="provider" label={td("provider")} value={filters.provider ?? ""} options={[{ value: "", label: t("anyProvider") }, ...Object.values(PROVIDERS).map((p) => ({ value: p.id, label: p.displayName }))]} />
              <SelectField name="method" label={td("method")} value={filters.method ?? ""} options={[{ value: "", label: t("anyMethod") }, ...methods.map((m) => ({ value: m, label: method(m) }))]} />
              <div>
                <Label htmlFor="from">{t("from")}</Label>
                <Input id="from" name="from" type="date" defaultValue={filters.from ?? ""} aria-describedby="dates-local" data-testid="filter-from" />
              </div>
              <div>
                <Label htmlFor="to">{t("to")}</Label>
                <Input id="to" name="to" type="date" defaultValue={filters.to ?? ""} aria-describedby="dates-local" data-testid="filter-to" />
              </div>
              <p id="dates-local" className="col-span-2 text-xs text-stone-500 md:col-span-4 lg:col-span-8">
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
              <SelectField name="sort" label={t("sort")} value={filters.sort} options={[{ value: "created", label: t("sortCreated") }, { value: "amount", label: t("sortAmount") }]} />
              <SelectField name="dir" label={t("dir")} value={filters.dir} options={[{ value: "desc", label: t("desc") }, { value: "asc", label: t("asc") }]} />
            </div>
            <div className="mt-3 flex flex-wrap gap-2">
              <button type="submit" className={buttonClass("primary")} data-testid="filter-apply-panel">
                {t("apply")}
              </button>
              <Link href="/dashboard/orders" className={buttonClass("secondary")} data-testid="filter-reset">
                {t("reset")}
              </Link>
            </div>
          </div>
        </details>
      </div>
      {chips.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label={t("chip.label")} data-testid="filter-chips">
          {chips.map((c) => (
            <li key={c.key}>
              <Link href={c.removeHref} className="inline-flex min-h-11 items-center gap-2 rounded-full border border-brand-700 bg-brand-50 px-3 text-sm text-brand-900 hover:bg-brand-100" data-testid="filter-chip" data-key={c.key}>
                <span>{chipText[c.key]()}</span>
                <span className="sr-only">{t("chip.remove")}</span>
                <span aria-hidden="true">✕</span>
              </Link>
            </li>
          ))}
          {chips.length > 1 && (
            <li>
              <Link href="/dashboard/orders" className="inline-flex min-h-11 items-center px-2 text-sm text-brand-700 underline" data-testid="filter-chips-clear">
                {t("chip.clear")}
              </Link>
            </li>
          )}
        </ul>
      )}
    </form>
  );
}
