"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../../_components/form-message";
import { refundAction } from "../actions";

type Labels = {
  confirm: string;
  cancel: string;
  refund: string;
  refundAmount: string;
  refundReason: string;
  refundConfirmLabel: string;
  refundMode: string;
};

/**
 * Refund: says beforehand whether the provider's API or a manual refund will be used. `intent`
 * is this form's one-time key: a double submit (or a retry after a timeout) refunds once.
 */
export function RefundForm({ paymentId, intent, remaining, labels }: { paymentId: string; intent: string; remaining: string; labels: Labels }) {
  const [state, action, pending] = useActionState(refundAction, {});
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="secondary" onClick={() => setOpen(true)} data-testid="refund-open">
          {labels.refund}
        </Button>
        <Message state={state} testId="refund-result" />
      </div>
    );
  }
  const error = (field: string) => state.fieldErrors?.[field];
  return (
    <form action={action} className="space-y-3 rounded-lg bg-stone-50 p-3" data-testid="refund-form" noValidate>
      <input type="hidden" name="paymentId" value={paymentId} />
      <input type="hidden" name="idempotencyKey" value={intent} />
      <p className="text-sm" data-testid="refund-mode">
        {labels.refundMode}
      </p>
      <div>
        <Label htmlFor={`amount-${paymentId}`}>{labels.refundAmount}</Label>
        {/* The button that opened the form is gone: focus moves to its first field, not back to the page's start. */}
        <Input id={`amount-${paymentId}`} name="amount" defaultValue={remaining} inputMode="decimal" aria-invalid={Boolean(error("amount"))} autoFocus data-testid="refund-amount" />
        {error("amount") && <p className="text-sm text-red-700" data-testid="refund-amount-error">{error("amount")}</p>}
      </div>
      <div>
        <Label htmlFor={`reason-${paymentId}`}>{labels.refundReason}</Label>
        <Input id={`reason-${paymentId}`} name="reason" maxLength={200} data-testid="refund-reason" />
        {error("reason") && <p className="text-sm text-red-700">{error("reason")}</p>}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="confirm" value="yes" className="size-5" data-testid="refund-confirm" />
        {labels.refundConfirmLabel}
      </label>
      {error("confirm") && <p className="text-sm text-red-700" data-testid="refund-confirm-error">{error("confirm")}</p>}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} data-testid="refund-submit">
          {labels.refund}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          {labels.cancel}
        </Button>
      </div>
      <Message state={state} testId="refund-result" />
    </form>
  );
}
