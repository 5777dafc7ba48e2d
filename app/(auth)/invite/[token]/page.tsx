import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { findInvitation, NEW_PASSWORD_MIN } from "@/lib/auth/invitations";
import { AcceptForm } from "./_components/accept-form";

// The token is in the path: keep it out of Referer headers and search engines.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const [view, t, td] = await Promise.all([findInvitation(await getDb(), token), getTranslations("invite"), getTranslations("dashboard")]);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-sm px-4 py-10">
        <Card data-testid="invite-page" data-state={view.state}>
          <h1 className="mb-4 text-xl font-bold">{t("title")}</h1>
          {view.state === "pending" ? (
            <>
              <p className="mb-6 text-sm" data-testid="invite-summary">
                {t("summary", { merchant: view.merchantName, role: td(`role.${view.role}`), inviter: view.invitedBy ?? "none" })}
              </p>
              <AcceptForm
                token={token}
                email={view.email}
                hasAccount={view.hasAccount}
                labels={{
                  email: t("email"),
                  name: t("name"),
                  password: t("password"),
                  passwordHint: t("passwordHint", { min: NEW_PASSWORD_MIN }),
                  existingHint: t("existingHint"),
                  submit: t("submit"),
                  accepted: t("accepted", { merchant: view.merchantName }),
                  signIn: t("signIn"),
                }}
              />
            </>
          ) : (
            <p role="alert" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="invite-invalid">
              {t(`state.${view.state}`)}
            </p>
          )}
        </Card>
      </main>
    </>
  );
}
