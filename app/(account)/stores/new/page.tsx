import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireUser } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { storeCountries, storeTimeZones } from "@/lib/stores/countries";
import { listStores } from "@/lib/stores/current";
import { StoreForm } from "@/components/stores/store-form";
import { storeFormLabels } from "@/components/stores/store-form-labels";
import { createStoreAction } from "./actions";

export const metadata: Metadata = { title: "Ouvrir une boutique · Open a store" };

/** Reached right after sign-up, by a user with no store yet, and from the dashboard's store switcher. */
export default async function NewStorePage() {
  const userId = await requireUser();
  const [t, locale, stores, labels] = await Promise.all([getTranslations("stores"), getLocale(), listStores(await getDb(), userId), storeFormLabels(false)]);
  const countries = storeCountries(locale);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-md px-4 py-10">
        <Card>
          <h1 className="mb-6 text-xl font-bold">{t("title")}</h1>
          <StoreForm
            action={createStoreAction}
            countries={countries}
            timeZones={storeTimeZones()}
            shopOrigin={env().APP_URL.replace(/\/$/, "")}
            labels={labels}
          />
          {stores.length > 0 && (
            // A full load: the dashboard's pages are rendered for the chosen store (see SiteHeader).
            // eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose
            <a href="/dashboard" className="mt-6 inline-block text-sm font-medium text-brand-700 underline" data-testid="store-back">
              {t("back")}
            </a>
          )}
        </Card>
      </main>
    </>
  );
}
