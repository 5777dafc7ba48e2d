"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { CopyButton } from "../../../_components/copy-button";
import { Message } from "../../../_components/form-message";
import { createWebhookEndpointAction, type SecretState } from "../webhook-actions";

type Labels = Record<"title" | "url" | "urlHint" | "mode" | "sandbox" | "live" | "events" | "description" | "submit" | "secretOnce" | "copy" | "copied", string>;

/** Adds an endpoint; its signing secret is shown here once (only an encrypted copy is kept, for signing). */
export function WebhookEndpointForm({ labels, eventTypes }: { labels: Labels; eventTypes: readonly string[] }) {
  const [state, action, pending] = useActionState<SecretState, FormData>(createWebhookEndpointAction, {});
  const errors = state.fieldErrors ?? {};
  const chosen = state.values?.events?.split(",") ?? ["payment.paid"];
  const fieldError = (name: string) =>
    errors[name] && (
      <p id={`webhook-${name}-error`} className="text-sm text-red-700" data-testid={`webhook-${name}-error`}>
        {errors[name]}
      </p>
    );
  return (
    <form action={action} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="webhook-form" noValidate>
      <h3 className="font-semibold">{labels.title}</h3>
      <div>
        <Label htmlFor="webhook-url">{labels.url}</Label>
        <Input id="webhook-url" name="url" type="url" inputMode="url" defaultValue={state.values?.url} maxLength={2048} autoComplete="off" placeholder="https://" aria-invalid={Boolean(errors.url)} aria-describedby={errors.url ? "webhook-url-error" : "webhook-url-hint"} data-testid="webhook-url" />
        <p id="webhook-url-hint" className="text-xs text-stone-500">
          {labels.urlHint}
        </p>
        {fieldError("url")}
      </div>
      <div>
        <Label htmlFor="webhook-mode">{labels.mode}</Label>
        <select id="webhook-mode" name="mode" defaultValue={state.values?.mode ?? "sandbox"} className="block min-h-11 rounded-lg border border-stone-300 bg-white px-3" data-testid="webhook-mode">
          <option value="sandbox">{labels.sandbox}</option>
          <option value="live">{labels.live}</option>
        </select>
      </div>
      <fieldset aria-describedby={errors.events ? "webhook-events-error" : undefined}>
        <legend className="text-sm font-medium">{labels.events}</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {eventTypes.map((type) => (
            <label key={type} className="flex min-h-11 items-center gap-2 font-mono text-xs">
              <input type="checkbox" name="events" value={type} defaultChecked={chosen.includes(type)} className="h-5 w-5" data-testid={`webhook-event-${type}`} />
              {type}
            </label>
          ))}
        </div>
        {fieldError("events")}
      </fieldset>
      <div>
        <Label htmlFor="webhook-description">{labels.description}</Label>
        <Input id="webhook-description" name="description" defaultValue={state.values?.description} maxLength={200} autoComplete="off" aria-invalid={Boolean(errors.description)} data-testid="webhook-description" />
        {fieldError("description")}
      </div>
      <Button type="submit" disabled={pending} data-testid="webhook-submit">
        {labels.submit}
      </Button>
      <Message state={state} testId="webhook-result" />
      {state.secret && <SecretOnce secret={state.secret} text={labels.secretOnce} labels={labels} />}
    </form>
  );
}

export function SecretOnce({ secret, text, labels }: { secret: string; text: string; labels: { copy: string; copied: string } }) {
  return (
    <div className="space-y-2 rounded-lg bg-amber-50 p-3" data-testid="webhook-secret-once">
      <p className="text-sm text-amber-900">{text}</p>
      <p className="break-all font-mono text-xs" data-testid="webhook-secret-value">
        {secret}
      </p>
      <CopyButton text={secret} labels={labels} testId="webhook-secret-copy" />
    </div>
  );
}
