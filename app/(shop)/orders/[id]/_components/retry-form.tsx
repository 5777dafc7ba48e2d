"use client";
import { useActionState } from "react";
import { BillingFields, type BillingLabels } from "@/components/checkout/billing-fields";
import type { OptionView } from "@/components/checkout/customer-fields";
import { ErrorSummary } from "@/components/checkout/error-summary";
import { FieldError } from "@/components/checkout/field";
import { retryAction } from "@/lib/checkout/actions";

/**
 * Another way to pay the same open order. A card asks here for what the order lacks (e-mail and
 * billing address), shown only while a card is chosen (CSS, no script).
 */
export function RetryForm({ orderId, options, labels }: { orderId: string; options: OptionView[]; labels: BillingLabels & { errorSummary: string; lead: string; submit: string; paying: string } }) {
  const [state, action, pending] = useActionState(retryAction, null);
  const errors = state?.fieldErrors ?? {};
  const chosen = state?.values?.option;
  return (
    <form action={action} className="group space-y-2" data-testid="retry-form" noValidate>
      <input type="hidden" name="order" value={orderId} />
      <ErrorSummary errors={errors} title={labels.errorSummary} prefix="retry-" />
      {/* A named group: a screen reader says what the radios choose before reading them. */}
      <fieldset className="space-y-2" aria-describedby={errors.option ? "retry-option-error" : undefined}>
        <legend className="mb-2 text-sm">{labels.lead}</legend>
        {options.map((o, i) => (
          <label key={o.id} className="flex min-h-12 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
            <input type="radio" id={i === 0 ? "retry-option" : undefined} name="option" value={o.id} defaultChecked={chosen ? chosen === o.id : i === 0} data-testid={`retry-option-${o.id}`} data-billing={o.billing ? "" : undefined} className="size-4 accent-brand-700" />
            <span>
              <span className="block font-medium">{o.label}</span>
              {o.detail && <span className="block text-xs text-stone-600">{o.detail}</span>}
            </span>
          </label>
        ))}
        <FieldError id="retry-option-error" field="option" message={errors.option} />
      </fieldset>
      <BillingFields labels={labels} errors={errors} values={state?.values} prefix="retry-" withEmail />
      <button type="submit" disabled={pending} className="min-h-12 w-full rounded-lg bg-brand-700 font-semibold text-white disabled:bg-stone-400" data-testid="retry-submit">
        {pending ? labels.paying : labels.submit}
      </button>
    </form>
  );
}
