import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { listMembers, listPendingInvitations } from "@/lib/dashboard/team";
import { ConfirmActionForm } from "../../_components/confirm-action-form";
import { removeMemberAction, revokeInvitationAction } from "../team-actions";
import { InviteForm, MemberRoleForm } from "./team-forms";
import { storeClock } from "@/lib/time/store-clock";

const rowClass = "flex flex-wrap items-center justify-between gap-2 px-4 py-3";

/** Settings → Team: everyone sees the members; owners also invite, change roles and remove. */
export async function TeamSection({ ctx }: { ctx: MerchantContext }) {
  const db = await getDb();
  const mayManage = can(ctx, "team");
  const [team, pending, t, td, locale] = await Promise.all([
    listMembers(db, ctx.merchant.id),
    mayManage ? listPendingInvitations(db, ctx.merchant.id) : Promise.resolve([]),
    getTranslations("team"),
    getTranslations("dashboard"),
    getLocale(),
  ]);
  const roles = { owner: td("role.owner"), staff: td("role.staff") };
  const confirm = { confirm: t("confirm"), cancel: t("cancel") };
  const now = new Date();
  return (
    <section className="space-y-3" data-testid="team-section">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white text-sm" data-testid="team-list">
        {team.map((m) => (
          <li key={m.id} className={rowClass} data-testid="team-member" data-role={m.role} data-email={m.email}>
            <span>
              {m.name} {m.userId === ctx.user.id && <span className="text-stone-500">({t("you")})</span>}
              <span className="block text-xs text-stone-500">{m.email}</span>
            </span>
            {mayManage ? (
              <div className="flex flex-wrap items-start gap-2">
                <MemberRoleForm memberId={m.id} role={m.role} labels={{ role: t("role"), save: t("saveRole"), ...roles }} />
                <ConfirmActionForm
                  action={removeMemberAction}
                  fields={{ memberId: m.id }}
                  labels={{ open: t("remove"), question: t("removeConfirm", { name: m.name }), ...confirm }}
                  testId="member-remove"
                />
              </div>
            ) : (
              <span>{roles[m.role]}</span>
            )}
          </li>
        ))}
      </ul>
      {mayManage && (
        <>
          <InviteForm
            labels={{ ...roles, title: t("invite"), email: t("email"), role: t("role"), submit: t("inviteSubmit"), linkOnce: t("linkOnce"), copy: t("copy"), copied: t("copied"), whatsapp: t("whatsapp") }}
          />
          <h3 className="font-semibold">{t("pending")}</h3>
          {pending.length === 0 && <p className="text-sm text-stone-600">{t("noPending")}</p>}
          <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white text-sm" data-testid="invitation-list">
            {pending.map((inv) => (
              <li key={inv.id} className={rowClass} data-testid="invitation" data-email={inv.email} data-role={inv.role}>
                <span>
                  {inv.email} · {roles[inv.role]}
                  <span className="block text-xs text-stone-500">
                    {inv.expiresAt <= now ? t("expired") : t("expires", { date: storeClock(locale, ctx.merchant.timeZone).dateTime(inv.expiresAt) })}
                  </span>
                </span>
                <ConfirmActionForm
                  action={revokeInvitationAction}
                  fields={{ invitationId: inv.id }}
                  labels={{ open: t("revoke"), question: t("revokeConfirm", { email: inv.email }), ...confirm }}
                  testId="invitation-revoke"
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
