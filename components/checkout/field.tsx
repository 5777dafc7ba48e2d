import type { InputHTMLAttributes } from "react";
import type { CheckoutField, CheckoutFieldErrors } from "@/lib/checkout/schema";

export const inputClass = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base aria-invalid:border-red-600";

/** The error under a field; its test id names the field whatever the form's id prefix. */
export function FieldError({ id, field, message }: { id: string; field: CheckoutField; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm font-medium text-red-700" data-testid={`error-${field}`}>
      {message}
    </p>
  ) : null;
}

/** A labelled text input wired to its error: `prefix` keeps ids unique when two forms share a page. */
export function TextField({ field, label, errors, prefix = "", hint, ...input }: { field: CheckoutField; label: string; errors: CheckoutFieldErrors; prefix?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = `${prefix}${field}`;
  const describedBy = errors[field] ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">{label}</label>
      <input id={id} name={field} className={inputClass} aria-invalid={errors[field] ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-stone-600">{hint}</p>}
      <FieldError id={`${id}-error`} field={field} message={errors[field]} />
    </div>
  );
}
