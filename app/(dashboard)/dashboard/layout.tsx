import "../../merchant.css";
import { getTranslations } from "next-intl/server";
import { DashboardNav } from "@/components/dashboard/nav";
import { SiteHeader } from "@/components/site-header";
import { requireMerchant } from "@/lib/auth/guard";
import { SignOutButton } from "./_components/sign-out-button";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireMerchant("view");
  const t = await getTranslations("common");
  return (
    <>
      <SiteHeader>
        <span className="hidden text-sm font-medium text-stone-700 sm:inline" data-testid="merchant-name">
          {ctx.merchant.name}
        </span>
        <SignOutButton label={t("signOut")} />
      </SiteHeader>
      <DashboardNav />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
