"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { createLinkAction, setLinkActiveAction } from "../actions";

type CreateLabels = { create: string; linkTitle: string; description: string; amount: string; amountHint: string; min: string; max: string; boundsHint: string; submit: string };

export function CreateLinkForm({ labels }: { labels: CreateLabels }) {
  const [state, action, pending] = useActionState(createLinkAction, {});
  const error = (f: string) => state.fieldErrors?.[f];
  return (
    <form action={action} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="link-create" noValidate>
      <h2 className="text-lg font-semibold">{labels.create}</h2>
      <div>
        <Label htmlFor="link-title">{labels.linkTitle}</Label>
        <Input id="link-title" name="title" defaultValue={state.values?.title} maxLength={120} aria-invalid={Boolean(error("title"))} data-testid="link-title" />
        {error("title") && <p className="text-sm text-red-700" data-testid="link-title-error">{error("title")}</p>}
      </div>
      <div>
        <Label htmlFor="link-description">{labels.description}</Label>
        <Input id="link-description" name="description" defaultValue={state.values?.description} maxLength={500} />
      </div>
      <div>
        <Label htmlFor="link-amount">{labels.amount}</Label>
        <Input id="link-amount" name="amount" defaultValue={state.values?.amount} inputMode="decimal" aria-invalid={Boolean(error("amount"))} aria-describedby="link-amount-hint" data-testid="link-amount" />
        <p id="link-amount-hint" className="text-xs text-stone-500">
          {labels.amountHint}
        </p>
        {error("amount") && <p className="text-sm text-red-700" data-testid="link-amount-error">{error("amount")}</p>}
      </div>
      <div className="grid grid-cols-2 gap-3">
        {(["min", "max"] as const).map((bound) => (
          <div key={bound}>
            <Label htmlFor={`link-${bound}`}>{labels[bound]}</Label>
            <Input id={`link-${bound}`} name={bound} defaultValue={state.values?.[bound]} inputMode="decimal" aria-invalid={Boolean(error(bound))} aria-describedby="link-bounds-hint" data-testid={`link-${bound}`} />
            {error(bound) && <p className="text-sm text-red-700" data-testid={`link-${bound}-error`}>{error(bound)}</p>}
          </div>
        ))}
      </div>
      <p id="link-bounds-hint" className="text-xs text-stone-500">
        {labels.boundsHint}
      </p>
      <Button type="submit" disabled={pending} data-testid="link-submit">
        {labels.submit}
      </Button>
      <Message state={state} testId="link-create-result" />
    </form>
  );
}

export function LinkToggle({ linkId, active, label }: { linkId: string; active: boolean; label: string }) {
  const [state, action, pending] = useActionState(setLinkActiveAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="linkId" value={linkId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <Button type="submit" variant="ghost" disabled={pending} data-testid="link-toggle">
        {label}
      </Button>
      <Message state={state} testId="link-toggle-result" />
    </form>
  );
}
