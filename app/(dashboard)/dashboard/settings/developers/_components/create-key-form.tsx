"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../../_components/form-message";
import { createApiKeyAction, type CreateKeyState } from "../actions";

type Labels = Record<"title" | "name" | "mode" | "sandbox" | "live" | "submit" | "keyOnce" | "copy" | "copied", string>;

/** After a key is made it is shown here, once: only its hash is stored. */
export function CreateKeyForm({ labels }: { labels: Labels }) {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createApiKeyAction, {});
  const error = state.fieldErrors?.name;
  return (
    <form action={action} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="api-key-form" noValidate>
      <h2 className="font-semibold">{labels.title}</h2>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto]">
        <div>
          <Label htmlFor="api-key-name">{labels.name}</Label>
          <Input id="api-key-name" name="name" defaultValue={state.values?.name} maxLength={60} autoComplete="off" aria-invalid={Boolean(error)} aria-describedby={error ? "api-key-name-error" : undefined} data-testid="api-key-name" />
          {error && (
            <p id="api-key-name-error" className="text-sm text-red-700" data-testid="api-key-name-error">
              {error}
            </p>
          )}
        </div>
        <div>
          <Label htmlFor="api-key-mode">{labels.mode}</Label>
          <select id="api-key-mode" name="mode" defaultValue={state.values?.mode ?? "sandbox"} className="block min-h-11 rounded-lg border border-stone-300 bg-white px-3" data-testid="api-key-mode">
            <option value="sandbox">{labels.sandbox}</option>
            <option value="live">{labels.live}</option>
          </select>
        </div>
      </div>
      <Button type="submit" disabled={pending} data-testid="api-key-submit">
        {labels.submit}
      </Button>
      <Message state={state} testId="api-key-result" />
      {state.key && (
        <div className="space-y-2 rounded-lg bg-amber-50 p-3" data-testid="api-key-once">
          <p className="text-sm text-amber-900">{labels.keyOnce}</p>
          <p className="break-all font-mono text-xs" data-testid="api-key-value">
            {state.key}
          </p>
          <CopyButton text={state.key} labels={labels} />
        </div>
      )}
    </form>
  );
}

/** Copy only: a secret key is never offered to a share sheet. */
function CopyButton({ text, labels }: { text: string; labels: { copy: string; copied: string } }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button type="button" variant="secondary" data-testid="api-key-copy" onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false))}>
      {copied ? labels.copied : labels.copy}
    </Button>
  );
}
