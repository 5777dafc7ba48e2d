"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Message } from "../../../_components/form-message";
import type { FormState } from "../../../_components/form-state";
import { rotateWebhookSecretAction, type SecretState } from "../webhook-actions";
import { SecretOnce } from "./webhook-endpoint-form";

/** One button that runs its action with hidden fields and tells the outcome beside it. */
export function ActionButton({ action, fields, label, testId, variant = "secondary" }: { action: (state: FormState, form: FormData) => Promise<FormState>; fields: Record<string, string>; label: string; testId: string; variant?: "primary" | "secondary" }) {
  const [state, run, pending] = useActionState(action, {});
  return (
    <form action={run} className="space-y-1" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={pending} data-testid={`${testId}-submit`}>
        {label}
      </Button>
      <Message state={state} testId={`${testId}-result`} />
    </form>
  );
}

/** Rotation shows the new secret once, like creation. */
export function RotateSecretButton({ endpointId, labels }: { endpointId: string; labels: { rotate: string; newSecret: string; copy: string; copied: string } }) {
  const [state, run, pending] = useActionState<SecretState, FormData>(rotateWebhookSecretAction, {});
  return (
    <form action={run} className="space-y-2" data-testid="webhook-rotate">
      <input type="hidden" name="endpointId" value={endpointId} />
      <Button type="submit" variant="secondary" disabled={pending} data-testid="webhook-rotate-submit">
        {labels.rotate}
      </Button>
      <Message state={state} testId="webhook-rotate-result" />
      {state.secret && <SecretOnce secret={state.secret} text={labels.newSecret} labels={labels} />}
    </form>
  );
}
