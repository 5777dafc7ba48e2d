import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { ForgotForm } from "./_components/forgot-form";

export const metadata: Metadata = { title: "Mot de passe oublié · Forgotten password" };

export default async function ForgotPasswordPage() {
  const t = await getTranslations("passwordReset");
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-sm px-4 py-10">
        <Card>
          <h1 className="mb-2 text-xl font-bold">{t("forgotTitle")}</h1>
          <p className="mb-6 text-sm text-stone-600">{t("forgotLead")}</p>
          <ForgotForm labels={{ email: t("email"), send: t("send"), sending: t("sending") }} />
          <p className="mt-6 text-sm">
            <Link href="/login" className="font-medium text-brand-700 underline">
              {t("back")}
            </Link>
          </p>
        </Card>
      </main>
    </>
  );
}
