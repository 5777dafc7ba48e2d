"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "@/app/(dashboard)/dashboard/_components/form-message";
import type { FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { resetPasswordAction } from "../actions";

type Labels = Record<"password" | "passwordHint" | "save" | "saving" | "signIn", string>;

export function ResetForm({ token, labels }: { token: string; labels: Labels }) {
  const [state, action, pending] = useActionState<FormState, FormData>(resetPasswordAction, {});
  const error = state.fieldErrors?.password;
  if (state.ok) {
    return (
      <div className="space-y-4">
        <Message state={state} testId="reset-result" />
        <Link href="/login" className="font-medium text-brand-700 underline" data-testid="reset-sign-in">
          {labels.signIn}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate data-testid="reset-form">
      <input type="hidden" name="token" value={token} />
      <div>
        <Label htmlFor="reset-password">{labels.password}</Label>
        <Input
          id="reset-password"
          name="password"
          type="password"
          autoComplete="new-password"
          aria-invalid={Boolean(error)}
          aria-describedby={["reset-password-hint", error && "reset-password-error"].filter(Boolean).join(" ")}
          data-testid="reset-password"
        />
        <p id="reset-password-hint" className="text-xs text-stone-500">
          {labels.passwordHint}
        </p>
        {error && (
          <p id="reset-password-error" role="alert" className="text-sm text-red-700" data-testid="reset-password-error">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" disabled={pending} className="w-full" data-testid="reset-submit">
        {pending ? labels.saving : labels.save}
      </Button>
      <Message state={state} testId="reset-result" />
    </form>
  );
}
