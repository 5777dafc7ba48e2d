"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Message } from "../../_components/form-message";
import type { FormState } from "../../_components/form-state";
import { setPaymentAlertsAction } from "../alert-actions";

type Labels = Record<"paymentAlerts" | "hint" | "save", string>;

/** Settings → E-mail: each member's own opt-in to "payment received" alerts. */
export function AlertsForm({ on, labels }: { on: boolean; labels: Labels }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setPaymentAlertsAction, {});
  return (
    <form action={action} className="space-y-3" data-testid="alerts-form">
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" name="paymentAlerts" value="on" defaultChecked={on} className="mt-0.5 size-5" aria-describedby="alerts-hint" data-testid="alerts-payment" />
        <span>
          <span className="font-medium">{labels.paymentAlerts}</span>
          <span id="alerts-hint" className="block text-xs text-stone-500">
            {labels.hint}
          </span>
        </span>
      </label>
      <Button type="submit" disabled={pending} data-testid="alerts-save">
        {labels.save}
      </Button>
      <Message state={state} testId="alerts-result" />
    </form>
  );
}
