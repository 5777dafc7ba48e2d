import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { listApiKeys } from "@/lib/api/keys";
import { requireMerchant } from "@/lib/auth/guard";
import { storeClock } from "@/lib/time/store-clock";
import { ConfirmActionForm } from "../../_components/confirm-action-form";
import { revokeApiKeyAction } from "./actions";
import { CreateKeyForm } from "./_components/create-key-form";
import { WebhooksSection } from "./_components/webhooks-section";

export const metadata = { title: "Developers" };

/** Settings → Developers: the store's API keys, owners only (the keys can move money out: refunds). */
export default async function DevelopersPage() {
  const ctx = await requireMerchant("developers");
  const [keys, t, ts, locale] = await Promise.all([listApiKeys(await getDb(), ctx.merchant.id), getTranslations("developers"), getTranslations("settings"), getLocale()]);
  const clock = storeClock(locale, ctx.merchant.timeZone);
  const prefix = { sandbox: "ck_test_", live: "ck_live_" } as const;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/dashboard/settings" className="text-brand-700 underline">
          {ts("title")}
        </Link>{" "}
        / {t("title")}
      </p>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-sm text-stone-700">{t("intro")}</p>
      <p className="text-sm">
        <Link href="/dashboard/settings/developers/reference" className="font-medium text-brand-700 underline" data-testid="developers-reference">
          {t("reference")}
        </Link>
        <span className="block text-stone-600">{t("referenceHint")}</span>
      </p>
      <CreateKeyForm labels={{ title: t("create"), name: t("name"), mode: t("mode"), sandbox: ts("sandbox"), live: ts("live"), submit: t("submit"), keyOnce: t("keyOnce"), copy: t("copy"), copied: t("copied") }} />
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">{t("keys")}</h2>
        {keys.length === 0 && <p className="text-sm text-stone-600">{t("empty")}</p>}
        <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white text-sm" data-testid="api-key-list">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-testid="api-key" data-name={k.name} data-revoked={k.revokedAt ? "true" : "false"}>
              <span>
                <span className="font-medium">{k.name}</span> · {ts(k.mode)}
                <span className="block font-mono text-xs" data-testid="api-key-masked">
                  {prefix[k.mode]}…{k.lastFour}
                </span>
                <span className="block text-xs text-stone-500">
                  {t("createdAt", { date: clock.dateTime(k.createdAt) })} · {k.lastUsedAt ? t("lastUsed", { date: clock.dateTime(k.lastUsedAt) }) : t("neverUsed")}
                </span>
              </span>
              {k.revokedAt ? (
                <span className="text-xs font-medium text-red-700">{t("revokedAt", { date: clock.dateTime(k.revokedAt) })}</span>
              ) : (
                <ConfirmActionForm
                  action={revokeApiKeyAction}
                  fields={{ keyId: k.id }}
                  labels={{ open: t("revoke"), question: t("revokeConfirm", { name: k.name }), confirm: t("confirm"), cancel: t("cancel") }}
                  testId="api-key-revoke"
                />
              )}
            </li>
          ))}
        </ul>
      </section>
      <WebhooksSection ctx={ctx} />
    </div>
  );
}
