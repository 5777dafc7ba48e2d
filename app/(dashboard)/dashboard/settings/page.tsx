import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { StoreForm } from "@/components/stores/store-form";
import { storeFormLabels } from "@/components/stores/store-form-labels";
import { formatMoney, type Locale } from "@/lib/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { providerId } from "@/db/schema/enums";
import { requireMerchant } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { majorDecimal } from "@/lib/dashboard/csv";
import { paymentAlertsOn } from "@/lib/dashboard/alerts";
import { credentialInputs } from "@/lib/dashboard/credential-fields";
import { listProviderAccounts, webhookUrl } from "@/lib/dashboard/settings";
import { env } from "@/lib/env";
import { feeRateText } from "@/lib/payments/fee-rate";
import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import { storeCountries, storeTimeZones } from "@/lib/stores/countries";
import { getStoreSettings } from "@/lib/stores/edit";
import { CopyButton } from "../_components/copy-button";
import { AlertsForm } from "./_components/alerts-form";
import { ProviderAccountForm, type AccountLabels, type FieldView } from "./_components/provider-account-form";
import { TeamSection } from "./_components/team-section";
import { updateStoreAction } from "./store-actions";

export const metadata = { title: "Settings" };

/** Of each credential set, the public identifier only (null: not stored); secrets never leave the database. */
const publicIds = (account: { sandboxPublicId: string | null; livePublicId: string | null }) => ({ sandbox: account.sandboxPublicId, live: account.livePublicId });

export default async function SettingsPage() {
  const ctx = await requireMerchant("view");
  const db = await getDb();
  const mayEdit = can(ctx, "settings");
  const [accounts, alertsOn, t, ts, locale, format, store, storeLabels] = await Promise.all([
    listProviderAccounts(db, ctx.merchant.id),
    paymentAlertsOn(db, ctx),
    getTranslations("settings"),
    getTranslations("stores"),
    getLocale(),
    getFormatter(),
    mayEdit ? getStoreSettings(db, ctx.merchant.id) : null,
    mayEdit ? storeFormLabels(true) : null,
  ]);
  // The contract in the words of a rate card: a percentage, not the basis points it is stored in.
  const contract = (a: { feeRateBps: number; feeFixedMinor: number; settlementDelayDays: number }) =>
    t(a.feeFixedMinor > 0 ? "contract" : "contractRateOnly", {
      rate: format.number(a.feeRateBps / 10_000, { style: "percent", maximumFractionDigits: 2 }),
      fixed: formatMoney(a.feeFixedMinor, ctx.merchant.currency, locale as Locale),
      days: a.settlementDelayDays,
    });
  const appUrl = env().APP_URL;
  const countries = new Intl.DisplayNames([locale], { type: "region" });
  const keys = [
    "enabled", "mode", "sandbox", "live", "modeHint", "feeRate", "feeRateHint", "feeFixed", "delay", "save", "sandboxTitle", "sandboxHint", "useSandbox", "sandboxReady",
    "sendTestNotification", "notificationsLog", "liveHint", "liveStored", "liveMissing", "keepEnvironment", "forget", "testConnection", "saveAnyway", "saveAnywayHint",
  ] as const;
  const labelsFor = (provider: ProviderId): AccountLabels => ({
    ...(Object.fromEntries(keys.map((k) => [k, t.raw(k) as string])) as Omit<AccountLabels, "liveTitle">),
    liveTitle: t("liveTitle", { provider: getProvider(provider).displayName }),
  });
  const fieldsFor = (provider: ProviderId): FieldView[] =>
    credentialInputs(provider).map((input) => ({
      ...input,
      label: t(`fields.${provider}.${input.field}.label`),
      hint: t(`fields.${provider}.${input.field}.hint`),
      options: input.options?.map((value) => ({ value, label: countries.of(value.toUpperCase()) ?? value })),
    }));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {!mayEdit && (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="settings-owner-only">
          {t("ownerOnly")}
        </p>
      )}
      {store && storeLabels && (
        <section className="space-y-3" aria-labelledby="store-settings" data-testid="store-settings">
          <h2 id="store-settings" className="text-lg font-semibold">
            {ts("settingsTitle")}
          </h2>
          <Card>
            <StoreForm
              action={updateStoreAction}
              countries={storeCountries(locale)}
              timeZones={storeTimeZones()}
              shopOrigin={appUrl.replace(/\/$/, "")}
              store={store}
              labels={storeLabels}
            />
          </Card>
        </section>
      )}
      <section className="space-y-3" data-testid="alerts-section">
        <h2 className="text-lg font-semibold">{t("alerts")}</h2>
        <Card>
          <AlertsForm on={alertsOn} labels={{ paymentAlerts: t("paymentAlerts"), hint: t("paymentAlertsHint"), save: t("alertsSave") }} />
        </Card>
      </section>
      <section className="space-y-3" id="providers">
        <h2 className="text-lg font-semibold">{t("providers")}</h2>
        <p className="text-sm text-stone-600">{t("connectHint")}</p>
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
              <div className="mt-1 flex flex-wrap items-center gap-2">
                <code className="min-w-0 flex-1 select-all break-all rounded bg-stone-100 px-2 py-1 font-mono text-sm" data-testid="webhook-url">
                  {webhookUrl(appUrl, provider, ctx.merchant.slug)}
                </code>
                <CopyButton text={webhookUrl(appUrl, provider, ctx.merchant.slug)} labels={{ copy: t("copy"), copied: t("copied") }} testId="webhook-copy" />
              </div>
              <p className="mt-1 text-xs text-stone-600">{t("webhookCopyHint")}</p>
              {mayEdit && (
                <ProviderAccountForm
                  provider={provider}
                  account={account && { ...account, feeRate: feeRateText(account.feeRateBps, locale), feeFixed: majorDecimal(account.feeFixedMinor, ctx.merchant.currency), publicIds: publicIds(account) }}
                  fields={fieldsFor(provider)}
                  labels={labelsFor(provider)}
                  sandboxEnabled={env().SANDBOX_ENABLED}
                />
              )}
            </Card>
          );
        })}
      </section>
      <TeamSection ctx={ctx} />
      {can(ctx, "developers") && (
        <section className="space-y-1">
          <h2 className="text-lg font-semibold">
            <Link href="/dashboard/settings/developers" className="text-brand-700 underline" data-testid="settings-developers">
              {t("developers")}
            </Link>
          </h2>
          <p className="text-sm text-stone-600">{t("developersHint")}</p>
        </section>
      )}
    </div>
  );
}
