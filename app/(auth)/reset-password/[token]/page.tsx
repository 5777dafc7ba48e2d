import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { resetTokenUsable } from "@/lib/auth/password-reset";
import { NEW_PASSWORD_MIN } from "@/lib/auth/password-rules";
import { ResetForm } from "./_components/reset-form";

// The token is in the path: keep it out of Referer headers and search engines.
export const metadata: Metadata = { title: "Nouveau mot de passe · New password", referrer: "no-referrer", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

export default async function ResetPasswordPage({ params }: Props) {
  const { token } = await params;
  const [usable, t] = await Promise.all([resetTokenUsable(await getDb(), token), getTranslations("passwordReset")]);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-sm px-4 py-10">
        <Card data-testid="reset-page" data-state={usable ? "usable" : "invalid"}>
          <h1 className="mb-6 text-xl font-bold">{t("resetTitle")}</h1>
          {usable ? (
            <ResetForm
              token={token}
              labels={{ password: t("password"), passwordHint: t("passwordHint", { min: NEW_PASSWORD_MIN }), save: t("save"), saving: t("saving"), signIn: t("signIn") }}
            />
          ) : (
            <>
              <p role="alert" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="reset-invalid">
                {t("invalidLink")}
              </p>
              <p className="mt-6 text-sm">
                <Link href="/forgot-password" className="font-medium text-brand-700 underline">
                  {t("askAgain")}
                </Link>
              </p>
            </>
          )}
        </Card>
      </main>
    </>
  );
}
