"use client";
import { useActionState } from "react";
import { retryAction } from "@/lib/checkout/actions";

type Option = { id: string; label: string; detail: string };

export function RetryForm({ orderId, options, labels }: { orderId: string; options: Option[]; labels: { lead: string; submit: string; paying: string } }) {
  const [state, action, pending] = useActionState(retryAction, null);
  return (
    <form action={action} className="space-y-2" data-testid="retry-form">
      <input type="hidden" name="order" value={orderId} />
      <p className="text-sm">{labels.lead}</p>
      {options.map((o, i) => (
        <label key={o.id} className="flex min-h-12 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
          <input type="radio" name="option" value={o.id} defaultChecked={i === 0} data-testid={`retry-option-${o.id}`} className="size-4 accent-brand-700" />
          <span>
            <span className="block font-medium">{o.label}</span>
            <span className="block text-xs text-stone-600">{o.detail}</span>
          </span>
        </label>
      ))}
      {state?.fieldErrors.option && <p className="text-sm font-medium text-red-700" role="alert">{state.fieldErrors.option}</p>}
      <button type="submit" disabled={pending} className="min-h-12 w-full rounded-lg bg-brand-700 font-semibold text-white disabled:bg-stone-400" data-testid="retry-submit">
        {pending ? labels.paying : labels.submit}
      </button>
    </form>
  );
}
