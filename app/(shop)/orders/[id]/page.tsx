import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { getPublicOrder } from "@/lib/orders/public";
import { StatusPoller } from "./_components/status-poller";

export const metadata: Metadata = { title: "Commande · Order", robots: { index: false } };

type Props = { params: Promise<{ id: string }> };

const UNDECIDED = new Set(["created", "pending", "waiting_for_customer"]);

export default async function OrderStatusPage({ params }: Props) {
  const order = await getPublicOrder(await getDb(), (await params).id);
  if (!order) notFound();
  const [t, locale] = await Promise.all([getTranslations("order"), getLocale()]);
  const latest = order.payments[0];
  const state = order.status !== "open" ? order.status : (latest?.status ?? "none");
  const waiting = order.status === "open" && latest && UNDECIDED.has(latest.status);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-md px-4 py-6">
        <Card>
          <p className="text-sm text-stone-600">{order.merchant.name}</p>
          <h1 className="mt-1 text-xl font-bold">{t("title", { reference: order.reference })}</h1>
          <p className="mt-3 text-3xl font-bold">
            <Money amount={order.amountMinor} currency={order.currency} locale={locale} />
          </p>
          <p className="mt-4 min-h-12 rounded-lg bg-stone-100 p-3 font-semibold" data-testid="order-status" data-status={state} role="status">
            {t(`state.${state}`)}
          </p>
          <ul className="mt-4 divide-y divide-stone-200 text-sm">
            {order.items.map((item, i) => (
              <li key={i} className="flex justify-between py-2">
                <span>
                  {item.quantity} × {item.name}
                </span>
                <Money amount={item.totalMinor} currency={order.currency} locale={locale} />
              </li>
            ))}
          </ul>
          {latest && (
            <p className="mt-4 text-xs text-stone-600">
              {t("paymentReference")}: <span className="font-mono">{latest.reference}</span>
            </p>
          )}
        </Card>
        {waiting && <StatusPoller orderId={order.id} known={`${order.status}:${latest.status}`} />}
      </main>
    </>
  );
}
