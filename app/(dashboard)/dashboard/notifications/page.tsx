import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { encodeTimeCursor, readTimeCursor } from "@/lib/dashboard/keyset";
import { listNotifications } from "@/lib/dashboard/queues";
import { getProvider } from "@/lib/payments/registry";
import { ReplayForm } from "./_components/replay-form";
import { storeClock } from "@/lib/time/store-clock";

export const metadata = { title: "Notifications" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NotificationsPage({ searchParams }: Props) {
  const ctx = await requireMerchant("view");
  const cursor = readTimeCursor((await searchParams).cursor);
  const [page, t, locale] = await Promise.all([listNotifications(await getDb(), ctx.merchant.id, cursor), getTranslations("notificationsLog"), getLocale()]);
  const clock = storeClock(locale, ctx.merchant.timeZone);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {page.rows.length === 0 && <p className="text-stone-600">{t("empty")}</p>}
      <ul className="space-y-3" data-testid="notifications-list">
        {page.rows.map((n) => (
          <li key={n.id} className="rounded-xl border border-stone-200 bg-white p-4 text-sm" data-testid="notification-row" data-verdict={n.verdict}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-semibold">
                {getProvider(n.provider).displayName} · {n.method}
              </span>
              <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs font-semibold">{t(`verdicts.${n.verdict}`)}</span>
            </div>
            <dl className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
              <dt className="text-stone-600">{t("received")}</dt>
              <dd>{clock.dateTimeSeconds(n.receivedAt)}</dd>
              <dt className="text-stone-600">{t("payment")}</dt>
              <dd className="font-mono">
                {n.orderId ? (
                  <Link href={`/dashboard/orders/${n.orderId}`} className="text-brand-700 underline">
                    {n.paymentReference}
                  </Link>
                ) : (
                  "—"
                )}
              </dd>
              <dt className="text-stone-600">{t("attempts")}</dt>
              <dd>{n.attempts}</dd>
              {n.lastError && (
                <>
                  <dt className="text-stone-600">{t("error")}</dt>
                  <dd className="break-all">{n.lastError}</dd>
                </>
              )}
            </dl>
            {n.paymentId && (
              <div className="mt-3">
                <ReplayForm notificationId={n.id} label={t("replay")} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {page.next && (
        <Link href={`/dashboard/notifications?cursor=${encodeTimeCursor(page.next)}`} className={buttonClass("secondary")} data-testid="notifications-next">
          {t("next")}
        </Link>
      )}
    </div>
  );
}
