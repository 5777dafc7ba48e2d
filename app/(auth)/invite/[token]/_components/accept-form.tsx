"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "@/app/(dashboard)/dashboard/_components/form-message";
import { acceptInvitationAction } from "../actions";

type Labels = Record<"email" | "name" | "password" | "passwordHint" | "existingHint" | "submit" | "accepted" | "signIn", string>;

/** A new e-mail chooses a name and a password; an existing account confirms with its password. */
export function AcceptForm({ token, email, hasAccount, labels }: { token: string; email: string; hasAccount: boolean; labels: Labels }) {
  const [state, action, pending] = useActionState(acceptInvitationAction, {});
  const error = (f: string) => state.fieldErrors?.[f];
  if (state.ok) {
    return (
      <div className="space-y-4" data-testid="invite-accepted">
        <p role="status" className="text-sm font-medium text-green-800">
          {labels.accepted}
        </p>
        <Link href={`/login?email=${encodeURIComponent(email)}`} className={buttonClass("primary", "w-full")} data-testid="invite-sign-in">
          {labels.signIn}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" data-testid="invite-accept-form" data-mode={hasAccount ? "existing" : "new"} noValidate>
      <input type="hidden" name="token" value={token} />
      <div>
        <Label htmlFor="invite-email">{labels.email}</Label>
        <Input id="invite-email" type="email" value={email} readOnly autoComplete="username" data-testid="invite-accept-email" />
      </div>
      {hasAccount ? (
        <p className="text-sm text-stone-600">{labels.existingHint}</p>
      ) : (
        <div>
          <Label htmlFor="invite-name">{labels.name}</Label>
          <Input id="invite-name" name="name" defaultValue={state.values?.name} autoComplete="name" maxLength={120} aria-invalid={Boolean(error("name"))} data-testid="invite-name" />
          {error("name") && <p className="text-sm text-red-700" data-testid="invite-name-error">{error("name")}</p>}
        </div>
      )}
      <div>
        <Label htmlFor="invite-password">{labels.password}</Label>
        <Input
          id="invite-password"
          name="password"
          type="password"
          autoComplete={hasAccount ? "current-password" : "new-password"}
          aria-invalid={Boolean(error("password"))}
          aria-describedby={hasAccount ? undefined : "invite-password-hint"}
          data-testid="invite-password"
        />
        {!hasAccount && (
          <p id="invite-password-hint" className="text-xs text-stone-500">
            {labels.passwordHint}
          </p>
        )}
        {error("password") && <p className="text-sm text-red-700" data-testid="invite-password-error">{error("password")}</p>}
      </div>
      <Button type="submit" disabled={pending} className="w-full" data-testid="invite-accept">
        {labels.submit}
      </Button>
      <Message state={state} testId="invite-result" />
    </form>
  );
}
