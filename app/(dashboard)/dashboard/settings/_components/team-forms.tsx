"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { ShareButtons } from "../../_components/share-buttons";
import { changeMemberRoleAction, inviteMemberAction, type InviteState } from "../team-actions";

type Roles = { owner: string; staff: string };
const selectClass = "block min-h-11 rounded-lg border border-stone-300 bg-white px-3";

function RoleSelect({ id, defaultValue, labels, testId }: { id: string; defaultValue: string; labels: Roles; testId: string }) {
  return (
    <select id={id} name="role" defaultValue={defaultValue} className={selectClass} data-testid={testId}>
      <option value="staff">{labels.staff}</option>
      <option value="owner">{labels.owner}</option>
    </select>
  );
}

export function MemberRoleForm({ memberId, role, labels }: { memberId: string; role: string; labels: Roles & { role: string; save: string } }) {
  const [state, action, pending] = useActionState(changeMemberRoleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" data-testid="member-role-form">
      <input type="hidden" name="memberId" value={memberId} />
      <label htmlFor={`role-${memberId}`} className="sr-only">
        {labels.role}
      </label>
      <RoleSelect id={`role-${memberId}`} defaultValue={role} labels={labels} testId="member-role-select" />
      <Button type="submit" variant="secondary" disabled={pending} data-testid="member-role-save">
        {labels.save}
      </Button>
      <Message state={state} testId="member-role-result" />
    </form>
  );
}

type InviteLabels = Roles & Record<"title" | "email" | "role" | "submit" | "linkOnce" | "copy" | "copied" | "whatsapp", string>;

/** After a successful invitation the link is shown here, once: only its hash is stored. */
export function InviteForm({ labels }: { labels: InviteLabels }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(inviteMemberAction, {});
  const error = (f: string) => state.fieldErrors?.[f];
  return (
    <form action={action} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="invite-form" noValidate>
      <h3 className="font-semibold">{labels.title}</h3>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto]">
        <div>
          <Label htmlFor="invite-email">{labels.email}</Label>
          <Input id="invite-email" name="email" type="email" defaultValue={state.values?.email} autoComplete="off" maxLength={254} aria-invalid={Boolean(error("email"))} data-testid="invite-email" />
          {error("email") && <p className="text-sm text-red-700" data-testid="invite-email-error">{error("email")}</p>}
        </div>
        <div>
          <Label htmlFor="invite-role">{labels.role}</Label>
          <RoleSelect id="invite-role" defaultValue={state.values?.role ?? "staff"} labels={labels} testId="invite-role" />
        </div>
      </div>
      <Button type="submit" disabled={pending} data-testid="invite-submit">
        {labels.submit}
      </Button>
      <Message state={state} testId="invite-result" />
      {state.invite && (
        <div className="space-y-2 rounded-lg bg-amber-50 p-3" data-testid="invite-link">
          <p className="text-sm text-amber-900">{labels.linkOnce}</p>
          <p className="break-all font-mono text-xs" data-testid="invite-url">
            {state.invite.url}
          </p>
          <div className="flex flex-wrap gap-2">
            <ShareButtons url={state.invite.url} shareText={state.invite.shareText} labels={labels} testIdPrefix="invite" />
          </div>
        </div>
      )}
    </form>
  );
}
