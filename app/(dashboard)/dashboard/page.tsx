import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { countOrders, recentOrders } from "@/lib/orders/queries";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const ctx = await requireMerchant();
  const db = await getDb();
  const [count, latest, t, ts, locale, format] = await Promise.all([
    countOrders(db, ctx.merchant.id),
    recentOrders(db, ctx.merchant.id, 10),
    getTranslations("dashboard"),
    getTranslations("orderStatus"),
    getLocale(),
    getFormatter(),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold" data-testid="dashboard-merchant">
          {ctx.merchant.name}
        </h1>
        <p className="text-sm text-stone-600">{t("signedInAs", { name: ctx.user.name, role: t(`role.${ctx.role}`) })}</p>
      </div>
      <Card>
        <p className="text-sm text-stone-600">{t("orders")}</p>
        <p className="text-3xl font-bold tabular-nums" data-testid="order-count" data-count={count}>
          {t("orderCount", { count })}
        </p>
      </Card>
      <section>
        <h2 className="mb-3 text-lg font-semibold">{t("recentOrders")}</h2>
        <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {latest.map((o) => (
            <li key={o.id}>
              <Link href={`/dashboard/orders/${o.id}`} className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-stone-50" data-testid="order-row">
                <span>
                  <span className="block font-mono text-sm">{o.reference}</span>
                  <span className="block text-xs text-stone-600">
                    {o.customerName} · {format.dateTime(o.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  </span>
                </span>
                <span className="text-right">
                  <Money amount={o.amountMinor} currency={o.currency} locale={locale} />
                  <span className="block text-xs text-stone-600">{ts(o.status)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
