"use client";
import { useActionState } from "react";
import { payLinkAction } from "@/lib/checkout/actions";
import { CustomerFields, type CustomerLabels, type OptionView } from "./customer-fields";

export function PayLinkForm(props: {
  link: string;
  locale: string;
  fixedAmount: string | null;
  currency: string;
  countries: { code: string; label: string }[];
  optionsByCountry: Record<string, OptionView[]>;
  defaultCountry: string;
  labels: CustomerLabels & { amount: string; pay: string; paying: string; secure: string };
}) {
  const [state, action, pending] = useActionState(payLinkAction, null);
  const errors = state?.fieldErrors ?? {};
  const { labels } = props;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="link" value={props.link} />
      <input type="hidden" name="locale" value={props.locale} />
      {props.fixedAmount === null && (
        <div>
          <label htmlFor="amount" className="mb-1 block text-sm font-medium">
            {labels.amount} ({props.currency})
          </label>
          <input id="amount" name="amount" inputMode="decimal" required defaultValue={state?.values?.amount} aria-invalid={Boolean(errors.amount)} aria-describedby={errors.amount ? "amount-error" : undefined} className="block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base aria-invalid:border-red-600" />
          {errors.amount && <p id="amount-error" className="mt-1 text-sm font-medium text-red-700" data-testid="error-amount">{errors.amount}</p>}
        </div>
      )}
      <CustomerFields countries={props.countries} optionsByCountry={props.optionsByCountry} defaultCountry={props.defaultCountry} labels={labels} errors={errors} values={state?.values} />
      {errors.form && <p className="text-sm font-medium text-red-700" role="alert">{errors.form}</p>}
      <button type="submit" disabled={pending} data-testid="pay" className="min-h-12 w-full rounded-lg bg-brand-700 px-4 text-base font-semibold text-white disabled:bg-stone-400">
        {pending ? labels.paying : labels.pay.replace("{amount}", props.fixedAmount ?? "")}
      </button>
      <p className="text-center text-xs text-stone-600">{labels.secure}</p>
    </form>
  );
}
