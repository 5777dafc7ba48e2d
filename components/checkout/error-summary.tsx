"use client";
import { useEffect, useRef, type MouseEvent } from "react";
import type { CheckoutField, CheckoutFieldErrors } from "@/lib/checkout/schema";

/** Top to bottom, as the fields appear on the forms. */
const ORDER: CheckoutField[] = ["cart", "amount", "name", "country", "phone", "email", "option", "address", "city", "state", "zip", "form"];

/** The element each entry links to: the field's input (the first radio for the method). */
const targetOf = (field: CheckoutField, prefix: string) => (field === "cart" ? "order-title" : `${prefix}${field}`);

/**
 * After a failed submit, the problems in one announced list at the top of the form, each a link
 * to its field, and focus moved onto it: a shopper on a phone would otherwise see nothing
 * happen, the errors being far above or below the Pay button.
 */
export function ErrorSummary({ errors, title, prefix = "" }: { errors: CheckoutFieldErrors; title: string; prefix?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const fields = ORDER.filter((f) => errors[f]);
  // A new errors object is a new failed submit: focus again, even with the same messages.
  useEffect(() => {
    if (Object.keys(errors).length) ref.current?.focus();
  }, [errors]);
  if (!fields.length) return null;
  // The fragment alone scrolls without focusing in some browsers: focus the field as well.
  const focusField = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    const field = document.getElementById(id);
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  };
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby={`${prefix}error-summary-title`} data-testid="error-summary" className="rounded-lg border-2 border-red-700 bg-red-50 p-3 text-red-900 outline-offset-2">
      <h2 id={`${prefix}error-summary-title`} className="font-semibold">
        {title}
      </h2>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
        {fields.map((field) => (
          <li key={field}>
            {field === "form" ? (
              errors[field]
            ) : (
              <a href={`#${targetOf(field, prefix)}`} onClick={(e) => focusField(e, targetOf(field, prefix))} className="font-medium underline">
                {errors[field]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
