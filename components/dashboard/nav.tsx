import Link from "next/link";
import { getTranslations } from "next-intl/server";

const SECTIONS = [
  { key: "overview", href: "/dashboard" },
  { key: "orders", href: "/dashboard/orders" },
  { key: "pending", href: "/dashboard/pending" },
  { key: "exceptions", href: "/dashboard/exceptions" },
  { key: "settlements", href: "/dashboard/settlements" },
  { key: "notifications", href: "/dashboard/notifications" },
  { key: "products", href: "/dashboard/products" },
  { key: "links", href: "/dashboard/links" },
  { key: "settings", href: "/dashboard/settings" },
] as const;

/** A horizontal strip that scrolls on a 360 px phone rather than wrapping into a menu. */
export async function DashboardNav() {
  const t = await getTranslations("dashboard.nav");
  return (
    <nav aria-label={t("label")} className="border-b border-stone-200 bg-white">
      <ul className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-4">
        {SECTIONS.map((s) => (
          <li key={s.key}>
            <Link href={s.href} className="inline-flex min-h-11 items-center whitespace-nowrap px-3 text-sm font-medium text-stone-700 hover:text-brand-700" data-testid={`nav-${s.key}`}>
              {t(s.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
