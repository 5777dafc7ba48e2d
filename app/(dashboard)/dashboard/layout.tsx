import "../../merchant.css";
import { getTranslations } from "next-intl/server";
import { DashboardNav } from "@/components/dashboard/nav";
import { StoreSwitcher } from "@/components/dashboard/store-switcher";
import { SiteHeader } from "@/components/site-header";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { listStores } from "@/lib/stores/current";
import { SignOutButton } from "./_components/sign-out-button";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireMerchant("view");
  const [t, stores] = await Promise.all([getTranslations("common"), listStores(await getDb(), ctx.user.id)]);
  return (
    <>
      <SiteHeader>
        <SignOutButton label={t("signOut")} />
      </SiteHeader>
      {/* On a phone the store and the menu share one row, so the page's own content starts higher. */}
      <div className="relative border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-x-2 px-2 py-1 lg:flex-wrap">
          <StoreSwitcher current={ctx.merchant} stores={stores} />
          <DashboardNav />
        </div>
      </div>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
