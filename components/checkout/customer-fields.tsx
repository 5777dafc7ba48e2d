"use client";
import { useState } from "react";
import type { CheckoutFieldErrors } from "@/lib/checkout/schema";
import { BillingFields, type BillingLabels } from "./billing-fields";
import { FieldError, inputClass, TextField } from "./field";

/** `billing`: choosing it asks for the e-mail and billing address (a card channel's needs). */
export type OptionView = { id: string; label: string; detail: string; billing: boolean };
export type CustomerLabels = BillingLabels & { name: string; phone: string; phoneHint: Record<string, string>; country: string; method: string };

/**
 * Name, contact, country and the payment methods that country offers: shared by the cart
 * checkout and payment links. Changing the country changes the methods on the spot.
 */
export function CustomerFields(props: {
  countries: { code: string; label: string }[];
  optionsByCountry: Record<string, OptionView[]>;
  defaultCountry: string;
  labels: CustomerLabels;
  errors: CheckoutFieldErrors;
  values?: Record<string, string>;
}) {
  const { labels, errors, values } = props;
  const [country, setCountry] = useState(values?.country || props.defaultCountry);
  const options = props.optionsByCountry[country] ?? [];
  return (
    <div className="group space-y-4">
      <TextField field="name" label={labels.name} errors={errors} autoComplete="name" required defaultValue={values?.name} />
      <div>
        <label htmlFor="country" className="mb-1 block text-sm font-medium">{labels.country}</label>
        {/* React resets a form after its action, and a select returns to the option it was
            mounted with: the first country, while the methods shown stayed those of the chosen
            one. Mounted again for each country sent, it returns to that one. */}
        <select key={values?.country ?? ""} id="country" name="country" defaultValue={country} onChange={(e) => setCountry(e.target.value)} className={inputClass} aria-invalid={errors.country ? true : undefined} aria-describedby={errors.country ? "country-error" : undefined}>
          {props.countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        <FieldError id="country-error" field="country" message={errors.country} />
      </div>
      <div>
        <label htmlFor="phone" className="mb-1 block text-sm font-medium">{labels.phone}</label>
        <input id="phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" required defaultValue={values?.phone} className={inputClass} aria-describedby={errors.phone ? "phone-error" : "phone-hint"} aria-invalid={Boolean(errors.phone)} />
        <p id="phone-hint" className="mt-1 text-xs text-stone-600">{labels.phoneHint[country]}</p>
        <FieldError id="phone-error" field="phone" message={errors.phone} />
      </div>
      <TextField field="email" label={labels.email} errors={errors} type="email" inputMode="email" autoComplete="email" defaultValue={values?.email} />
      <fieldset aria-describedby={errors.option ? "option-error" : undefined}>
        <legend className="mb-2 text-sm font-medium">{labels.method}</legend>
        <div className="space-y-2">
          {options.map((o, i) => (
            <label key={o.id} className="flex min-h-12 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" id={i === 0 ? "option" : undefined} name="option" value={o.id} defaultChecked={values?.option ? values.option === o.id : i === 0} data-testid={`option-${o.id}`} data-billing={o.billing ? "" : undefined} className="size-4 accent-brand-700" />
              <span>
                <span className="block font-medium">{o.label}</span>
                {o.detail && <span className="block text-xs text-stone-600">{o.detail}</span>}
              </span>
            </label>
          ))}
        </div>
        <FieldError id="option-error" field="option" message={errors.option} />
      </fieldset>
      <BillingFields labels={labels} errors={errors} values={values} withEmail={false} />
    </div>
  );
}
