import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { signedInUserId } from "@/lib/auth/guard";
import { NEW_PASSWORD_MIN } from "@/lib/auth/password-rules";
import { SignUpForm } from "./_components/signup-form";

export const metadata: Metadata = { title: "Créer un compte · Sign up" };

export default async function SignUpPage() {
  if (await signedInUserId()) redirect("/dashboard");
  const t = await getTranslations("signup");
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-sm px-4 py-10">
        <Card>
          <h1 className="mb-2 text-xl font-bold">{t("title")}</h1>
          <p className="mb-6 text-sm text-stone-600">{t("lead")}</p>
          <SignUpForm
            labels={{
              name: t("name"),
              email: t("email"),
              password: t("password"),
              passwordHint: t("passwordHint", { min: NEW_PASSWORD_MIN }),
              submit: t("submit"),
              submitting: t("submitting"),
              rateLimited: t("errors.rate_limited"),
            }}
          />
          <p className="mt-6 text-sm text-stone-600">
            {t("haveAccount")}{" "}
            <Link href="/login" className="font-medium text-brand-700 underline" data-testid="signup-sign-in">
              {t("signIn")}
            </Link>
          </p>
        </Card>
      </main>
    </>
  );
}
