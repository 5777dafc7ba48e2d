import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LocaleSwitch } from "./locale-switch";

export async function SiteHeader({ children }: { children?: React.ReactNode }) {
  const t = await getTranslations("common");
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-4 py-2">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
          {t("appName")}
        </Link>
        <div className="flex items-center gap-1">
          {children}
          <LocaleSwitch />
        </div>
      </div>
    </header>
  );
}
