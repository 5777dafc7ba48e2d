"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "@/app/(dashboard)/dashboard/_components/form-message";
import type { FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { requestResetAction } from "../actions";

type Labels = Record<"email" | "send" | "sending", string>;

export function ForgotForm({ labels }: { labels: Labels }) {
  const [state, action, pending] = useActionState<FormState, FormData>(requestResetAction, {});
  const error = state.fieldErrors?.email;
  return (
    <form action={action} className="space-y-4" noValidate data-testid="forgot-form">
      <div>
        <Label htmlFor="forgot-email">{labels.email}</Label>
        <Input
          id="forgot-email"
          name="email"
          type="email"
          autoComplete="username"
          maxLength={254}
          defaultValue={state.values?.email}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? "forgot-email-error" : undefined}
          data-testid="forgot-email"
        />
        {error && (
          <p id="forgot-email-error" role="alert" className="text-sm text-red-700" data-testid="forgot-email-error">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" disabled={pending} className="w-full" data-testid="forgot-submit">
        {pending ? labels.sending : labels.send}
      </Button>
      <Message state={state} testId="forgot-result" />
    </form>
  );
}
