import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { signedInUserId } from "@/lib/auth/guard";
import { demoEnabled, env } from "@/lib/env";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Connexion · Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string; email?: string }> };

/** Only same-origin paths: an open redirect on a payments login page is a phishing gift. */
function safeCallback(url: string | undefined): string {
  if (!url) return "/dashboard";
  try {
    const parsed = new URL(url, "http://local.invalid");
    if (parsed.origin !== "http://local.invalid" && parsed.origin !== env().APP_URL) return "/dashboard";
    return parsed.pathname.startsWith("/dashboard") ? `${parsed.pathname}${parsed.search}` : "/dashboard";
  } catch {
    return "/dashboard";
  }
}

export default async function LoginPage({ searchParams }: Props) {
  const { callbackUrl, error, email } = await searchParams;
  const target = safeCallback(callbackUrl);
  if (!error && (await signedInUserId())) redirect(target);
  const t = await getTranslations("login");
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-sm px-4 py-10">
        <Card>
          <h1 className="mb-6 text-xl font-bold">{t("title")}</h1>
          <LoginForm
            callbackUrl={target}
            defaultEmail={typeof email === "string" ? email.slice(0, 254) : ""}
            labels={{ email: t("email"), password: t("password"), submit: t("submit"), submitting: t("submitting"), invalid: t("invalid"), rateLimited: t("rateLimited") }}
          />
          <p className="mt-4 text-sm">
            <Link href="/forgot-password" className="font-medium text-brand-700 underline" data-testid="login-forgot">
              {t("forgot")}
            </Link>
          </p>
          <p className="mt-6 text-sm text-stone-600">
            {t("noAccount")}{" "}
            <Link href="/signup" className="font-medium text-brand-700 underline" data-testid="login-sign-up">
              {t("signUp")}
            </Link>
          </p>
          {demoEnabled(env()) && (
            <p data-testid="demo-hint" className="mt-6 text-xs text-stone-500">
              {t("demoHint")}
            </p>
          )}
        </Card>
      </main>
    </>
  );
}
