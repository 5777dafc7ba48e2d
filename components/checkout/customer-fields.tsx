"use client";
import { useState } from "react";
import type { CheckoutFieldErrors } from "@/lib/checkout/schema";

export type OptionView = { id: string; label: string; detail: string };
export type CustomerLabels = { name: string; email: string; phone: string; phoneHint: Record<string, string>; country: string; method: string };

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm font-medium text-red-700" data-testid={`error-${id.replace("-error", "")}`}>
      {message}
    </p>
  ) : null;
}

const input = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base aria-invalid:border-red-600";

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
  const describe = (field: keyof CheckoutFieldErrors) => (errors[field] ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  return (
    <div className="space-y-4">
      <div>
        <label htmlFor="name" className="mb-1 block text-sm font-medium">{labels.name}</label>
        <input id="name" name="name" autoComplete="name" required defaultValue={values?.name} className={input} {...describe("name")} />
        <FieldError id="name-error" message={errors.name} />
      </div>
      <div>
        <label htmlFor="country" className="mb-1 block text-sm font-medium">{labels.country}</label>
        <select id="country" name="country" value={country} onChange={(e) => setCountry(e.target.value)} className={input} {...describe("country")}>
          {props.countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        <FieldError id="country-error" message={errors.country} />
      </div>
      <div>
        <label htmlFor="phone" className="mb-1 block text-sm font-medium">{labels.phone}</label>
        <input id="phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" required defaultValue={values?.phone} className={input} aria-describedby={errors.phone ? "phone-error" : "phone-hint"} aria-invalid={Boolean(errors.phone)} />
        <p id="phone-hint" className="mt-1 text-xs text-stone-600">{labels.phoneHint[country]}</p>
        <FieldError id="phone-error" message={errors.phone} />
      </div>
      <div>
        <label htmlFor="email" className="mb-1 block text-sm font-medium">{labels.email}</label>
        <input id="email" name="email" type="email" inputMode="email" autoComplete="email" defaultValue={values?.email} className={input} {...describe("email")} />
        <FieldError id="email-error" message={errors.email} />
      </div>
      <fieldset aria-describedby={errors.option ? "option-error" : undefined}>
        <legend className="mb-2 text-sm font-medium">{labels.method}</legend>
        <div className="space-y-2">
          {options.map((o, i) => (
            <label key={o.id} className="flex min-h-12 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" name="option" value={o.id} defaultChecked={values?.option ? values.option === o.id : i === 0} data-testid={`option-${o.id}`} className="size-4 accent-brand-700" />
              <span>
                <span className="block font-medium">{o.label}</span>
                {o.detail && <span className="block text-xs text-stone-600">{o.detail}</span>}
              </span>
            </label>
          ))}
        </div>
        <FieldError id="option-error" message={errors.option} />
      </fieldset>
    </div>
  );
}
