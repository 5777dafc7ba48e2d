"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";

type Labels = { email: string; password: string; submit: string; submitting: string; invalid: string; rateLimited: string };

/** `defaultEmail` pre-fills the address, e.g. after accepting a team invitation. */
export function LoginForm({ callbackUrl, defaultEmail = "", labels }: { callbackUrl: string; defaultEmail?: string; labels: Labels }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full navigation so every server component re-renders with the new session.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error === "rate_limited" ? labels.rateLimited : labels.invalid);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div>
        <Label htmlFor="email">{labels.email}</Label>
        <Input id="email" name="email" type="email" autoComplete="username" defaultValue={defaultEmail} required aria-invalid={Boolean(error)} aria-describedby={error ? "login-error" : undefined} />
      </div>
      <div>
        <Label htmlFor="password">{labels.password}</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={Boolean(error)} aria-describedby={error ? "login-error" : undefined} />
      </div>
      {error && (
        <p id="login-error" role="alert" data-testid="login-error" className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending} className="w-full" data-testid="login-submit">
        {pending ? labels.submitting : labels.submit}
      </Button>
    </form>
  );
}
