import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatMoney, type Locale } from "@/lib/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { providerId } from "@/db/schema/enums";
import { requireMerchant } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { majorDecimal } from "@/lib/dashboard/csv";
import { credentialFields, listProviderAccounts, webhookUrl } from "@/lib/dashboard/settings";
import { env } from "@/lib/env";
import { getProvider } from "@/lib/payments/registry";
import { ProviderAccountForm } from "./_components/provider-account-form";
import { TeamSection } from "./_components/team-section";

export const metadata = { title: "Settings" };

/** Of each credential set, the public identifier only (null: not stored); secrets never leave the database. */
const publicIds = (account: { sandboxPublicId: string | null; livePublicId: string | null }) => ({ sandbox: account.sandboxPublicId, live: account.livePublicId });

export default async function SettingsPage() {
  const ctx = await requireMerchant("view");
  const db = await getDb();
  const [accounts, t, format, locale] = await Promise.all([listProviderAccounts(db, ctx.merchant.id), getTranslations("settings"), getFormatter(), getLocale()]);
  // The contract in the words of a rate card: a percentage, not the basis points it is stored in.
  const contract = (a: { feeRateBps: number; feeFixedMinor: number; settlementDelayDays: number }) =>
    t(a.feeFixedMinor > 0 ? "contract" : "contractRateOnly", {
      rate: format.number(a.feeRateBps / 10_000, { style: "percent", maximumFractionDigits: 2 }),
      fixed: formatMoney(a.feeFixedMinor, ctx.merchant.currency, locale as Locale),
      days: a.settlementDelayDays,
    });
  const mayEdit = can(ctx, "settings");
  const appUrl = env().APP_URL;
  const labels = {
    enabled: t("enabled"),
    mode: t("mode"),
    sandbox: t("sandbox"),
    live: t("live"),
    modeHint: t("modeHint"),
    feeRate: t("feeRate"),
    feeFixed: t("feeFixed"),
    delay: t("delay"),
    sandboxCredentials: t("sandboxCredentials"),
    liveCredentials: t("liveCredentials"),
    credentialsHint: t("credentialsHint"),
    publicId: t("publicId"),
    setMissing: t("setMissing"),
    forget: t("forget"),
    save: t("save"),
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {!mayEdit && (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="settings-owner-only">
          {t("ownerOnly")}
        </p>
      )}
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">{t("providers")}</h2>
        {providerId.enumValues.map((provider) => {
          const account = accounts.find((a) => a.provider === provider) ?? null;
          return (
            <Card key={provider} data-testid="provider-account" data-provider={provider} data-mode={account?.mode ?? ""} data-enabled={account?.enabled ? "true" : "false"}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-semibold">{getProvider(provider).displayName}</h3>
                <span className="text-xs text-stone-600">{account ? `${account.enabled ? t("enabled") : "—"} · ${t(account.mode)}` : t("notConfigured")}</span>
              </div>
              {account && (
                <p className="mt-1 text-sm text-stone-700" data-testid="account-contract">
                  {contract(account)}
                </p>
              )}
              {account && (
                <p className="mt-1 text-xs text-stone-600" data-testid="account-public-ids">
                  {(["sandbox", "live"] as const).map((mode, i) => (
                    <span key={mode}>
                      {i > 0 && " · "}
                      {t(mode)} — {t("publicId")}: {publicIds(account)[mode] ? <span className="font-mono">{publicIds(account)[mode]}</span> : t("setMissing")}
                    </span>
                  ))}
                </p>
              )}
              <p className="mt-2 text-xs text-stone-600">{t("webhook")}</p>
              <p className="break-all font-mono text-sm" data-testid="webhook-url">
                {webhookUrl(appUrl, provider, ctx.merchant.slug)}
              </p>
              {mayEdit && (
                <ProviderAccountForm
                  provider={provider}
                  account={account && { ...account, feeFixed: majorDecimal(account.feeFixedMinor, ctx.merchant.currency), publicIds: publicIds(account) }}
                  fields={credentialFields(provider)}
                  labels={labels}
                />
              )}
            </Card>
          );
        })}
      </section>
      <TeamSection ctx={ctx} />
    </div>
  );
}
