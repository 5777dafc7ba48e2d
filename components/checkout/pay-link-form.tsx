"use client";
import { useActionState, useState } from "react";
import { payLinkAction, sessionPayAction } from "@/lib/checkout/actions";
import { formatMoney, isCurrency, parseMoney, type Locale } from "@/lib/money";
import { FieldError, inputClass } from "./field";
import { CustomerFields, type CustomerLabels, type OptionView } from "./customer-fields";
import { ErrorSummary } from "./error-summary";
import { StickyPay } from "./sticky-pay";

/**
 * A payment link's form, and an API checkout session's (`session` instead of `link`): the same
 * fields and flow; a session's amount is always fixed, and what the merchant knows of the
 * customer comes prefilled (`initial`).
 */
export function PayLinkForm(props: {
  link?: string;
  session?: string;
  initial?: Record<string, string>;
  locale: Locale;
  fixedAmount: string | null;
  currency: string;
  /** An open link's bounds, in words ("Between 100 F CFA and 1 500 000 F CFA"). */
  bounds: string | null;
  countries: { code: string; label: string }[];
  optionsByCountry: Record<string, OptionView[]>;
  defaultCountry: string;
  labels: CustomerLabels & { errorSummary: string; amount: string; pay: string; paying: string; secure: string };
}) {
  const [state, action, pending] = useActionState(props.session ? sessionPayAction : payLinkAction, null);
  const [typed, setTyped] = useState(state?.values?.amount ?? "");
  const errors = state?.fieldErrors ?? {};
  const { labels } = props;
  // The Pay button says what will be charged: the fixed amount, or the open amount as typed.
  const typedMinor = isCurrency(props.currency) ? parseMoney(typed, props.currency) : null;
  const echoed = props.fixedAmount ?? (typedMinor ? formatMoney(typedMinor, props.currency, props.locale) : "");
  const describedBy = [errors.amount ? "amount-error" : "", props.bounds ? "amount-bounds" : ""].filter(Boolean).join(" ") || undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      {props.session ? <input type="hidden" name="session" value={props.session} /> : <input type="hidden" name="link" value={props.link} />}
      <input type="hidden" name="locale" value={props.locale} />
      <ErrorSummary errors={errors} title={labels.errorSummary} />
      {props.fixedAmount === null && (
        <div>
          <label htmlFor="amount" className="mb-1 block text-sm font-medium">
            {labels.amount} ({props.currency})
          </label>
          <input id="amount" name="amount" inputMode="decimal" required defaultValue={state?.values?.amount} onInput={(e) => setTyped(e.currentTarget.value)} aria-invalid={errors.amount ? true : undefined} aria-describedby={describedBy} className={inputClass} />
          {props.bounds && (
            <p id="amount-bounds" className="mt-1 text-xs text-stone-600" data-testid="amount-bounds">
              {props.bounds}
            </p>
          )}
          <FieldError id="amount-error" field="amount" message={errors.amount} />
        </div>
      )}
      <CustomerFields countries={props.countries} optionsByCountry={props.optionsByCountry} defaultCountry={props.defaultCountry} labels={labels} errors={errors} values={state?.values ?? props.initial} />
      <StickyPay>
        <button type="submit" disabled={pending} data-testid="pay" className="min-h-12 w-full rounded-lg bg-brand-700 px-4 text-base font-semibold text-white disabled:bg-stone-400">
          {pending ? labels.paying : labels.pay.replace("{amount}", echoed).trim()}
        </button>
      </StickyPay>
      <p className="text-center text-xs text-stone-600">{labels.secure}</p>
    </form>
  );
}
