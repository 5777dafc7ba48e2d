import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { getOrderForMerchant } from "@/lib/orders/queries";

type Props = { params: Promise<{ id: string }> };

export default async function OrderPage({ params }: Props) {
  const ctx = await requireMerchant();
  const { id } = await params;
  // Scoped in SQL: another merchant's order id is indistinguishable from a missing one.
  const order = await getOrderForMerchant(await getDb(), ctx.merchant.id, id);
  if (!order) notFound();
  const [t, ts, locale] = await Promise.all([getTranslations("dashboard"), getTranslations("orderStatus"), getLocale()]);
  return (
    <div className="space-y-4">
      <Link href="/dashboard" className="text-sm text-brand-700 underline">
        {t("backToOrders")}
      </Link>
      <Card>
        <h1 className="font-mono text-xl font-bold" data-testid="order-reference">
          {order.reference}
        </h1>
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm">
          <dt className="text-stone-600">{t("customer")}</dt>
          <dd>{order.customerName}</dd>
          <dt className="text-stone-600">{t("amount")}</dt>
          <dd>
            <Money amount={order.amountMinor} currency={order.currency} locale={locale} />
          </dd>
          <dt className="text-stone-600">{t("status")}</dt>
          <dd>{ts(order.status)}</dd>
        </dl>
      </Card>
    </div>
  );
}
