import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db";
import { listStorefronts } from "@/lib/catalog/queries";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const t = await getTranslations("home");
  const stores = await listStorefronts(await getDb());
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-5xl px-4 py-10">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{t("title")}</h1>
        <p className="mt-4 max-w-2xl text-stone-700">{t("lead")}</p>
        <h2 className="mt-10 text-lg font-semibold">{t("stores")}</h2>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2">
          {stores.map((s) => (
            <li key={s.slug}>
              <Link href={`/${s.slug}`} className="block rounded-xl border border-stone-200 bg-white p-4 hover:border-brand-600" data-testid={`store-${s.slug}`}>
                <span className="font-semibold">{s.name}</span>
                <span className="ml-2 text-sm text-stone-600">{s.country}</span>
              </Link>
            </li>
          ))}
        </ul>
        {/* Full loads: the merchant's pages run under their own, stricter policy (see SiteHeader). */}
        <div className="mt-8 flex flex-wrap gap-3">
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose */}
          <a href="/signup" className={buttonClass("primary")} data-testid="home-sign-up">
            {t("signUp")}
          </a>
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose */}
          <a href="/dashboard" className={buttonClass("secondary")}>
            {t("merchantArea")}
          </a>
        </div>
      </main>
    </>
  );
}
