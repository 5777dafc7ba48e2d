"use client";
import { signIn } from "next-auth/react";
import { useActionState, useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "@/app/(dashboard)/dashboard/_components/form-message";
import type { FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { signUpAction } from "../actions";

type Labels = Record<"name" | "email" | "password" | "passwordHint" | "submit" | "submitting" | "rateLimited", string>;

/** Once the account exists, signs in with what was typed (never sent back by the server) and opens the store form. */
export function SignUpForm({ labels }: { labels: Labels }) {
  const typed = useRef({ email: "", password: "" });
  const [state, action, pending] = useActionState(async (prev: FormState, form: FormData) => {
    typed.current = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    return signUpAction(prev, form);
  }, {});
  const signingIn = useRef(false);
  useEffect(() => {
    if (!state.ok || signingIn.current) return;
    signingIn.current = true;
    void signIn("credentials", { ...typed.current, redirect: false }).then((result) => {
      // A full navigation so every server component renders with the new session.
      window.location.assign(result?.ok && !result.error ? "/stores/new" : "/login");
    });
  }, [state.ok]);
  const error = (f: string) => state.fieldErrors?.[f];
  const field = (name: "name" | "email" | "password", props: React.InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <div>
      <Label htmlFor={`signup-${name}`}>{labels[name]}</Label>
      <Input
        id={`signup-${name}`}
        name={name}
        defaultValue={name === "password" ? undefined : state.values?.[name]}
        aria-invalid={Boolean(error(name))}
        aria-describedby={[hint && `signup-${name}-hint`, error(name) && `signup-${name}-error`].filter(Boolean).join(" ") || undefined}
        data-testid={`signup-${name}`}
        {...props}
      />
      {hint && (
        <p id={`signup-${name}-hint`} className="text-xs text-stone-500">
          {hint}
        </p>
      )}
      {error(name) && (
        <p id={`signup-${name}-error`} className="text-sm text-red-700" data-testid={`signup-${name}-error`}>
          {error(name)}
        </p>
      )}
    </div>
  );
  return (
    <form action={action} className="space-y-4" noValidate data-testid="signup-form">
      {field("name", { autoComplete: "name", maxLength: 120 })}
      {field("email", { type: "email", autoComplete: "username", maxLength: 254 })}
      {field("password", { type: "password", autoComplete: "new-password" }, labels.passwordHint)}
      <Button type="submit" disabled={pending || state.ok} className="w-full" data-testid="signup-submit">
        {pending || state.ok ? labels.submitting : labels.submit}
      </Button>
      <Message state={state.ok ? {} : state} testId="signup-result" />
    </form>
  );
}
