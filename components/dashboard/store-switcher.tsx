import { getTranslations } from "next-intl/server";
import { switchStoreAction } from "@/app/(dashboard)/dashboard/store-actions";
import type { StoreChoice } from "@/lib/stores/current";

/**
 * The store menu, a strip of the header under the app's bar (a 360 px bar has no room left for
 * it): the current store's name, and under it every store of the user (one form, a button each,
 * so it works without JavaScript) and a way to open another. A <details>: no script needed.
 */
export async function StoreSwitcher({ current, stores }: { current: { id: string; name: string }; stores: StoreChoice[] }) {
  const t = await getTranslations("dashboard.storeSwitcher");
  return (
    <details className="relative w-fit min-w-0 max-w-full" data-testid="store-switcher">
      <summary className="flex min-h-11 cursor-pointer items-center gap-1 rounded-lg px-2 text-sm font-semibold text-stone-800 hover:bg-stone-100" aria-label={`${t("label")} (${t("current")} : ${current.name})`}>
        <span className="truncate" data-testid="merchant-name">
          {current.name}
        </span>
        <span aria-hidden="true">▾</span>
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-xl border border-stone-200 bg-white p-2 shadow-lg">
        <form action={switchStoreAction}>
          <ul>
            {stores.map((s) => (
              <li key={s.id}>
                <button
                  type="submit"
                  name="merchantId"
                  value={s.id}
                  aria-current={s.id === current.id ? "true" : undefined}
                  className="flex min-h-11 w-full items-center rounded-lg px-3 text-left text-sm hover:bg-stone-100 aria-[current=true]:font-semibold aria-[current=true]:text-brand-700"
                  data-testid="store-choice"
                  data-slug={s.slug}
                >
                  <span className="truncate">{s.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </form>
        {/* A full load, like every way into a page of another policy (see SiteHeader). */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose */}
        <a href="/stores/new" className="mt-1 flex min-h-11 items-center border-t border-stone-100 px-3 text-sm font-medium text-brand-700" data-testid="store-new">
          + {t("new")}
        </a>
      </div>
    </details>
  );
}
