import { z } from "zod";
import type { BillingAddress } from "@/db/schema";
import type { CustomerRequirement } from "@/lib/payments/types";
import { phoneProblem, toE164 } from "@/lib/phone";
import { isPlainText } from "@/lib/validation";

/**
 * The checkout form as the server reads it. Error messages are keys of the "checkout.errors"
 * namespace, translated where the form is rendered. Prices are never read from the form.
 */
export const cartSchema = z
  .array(z.object({ productId: z.string().regex(/^prd_[A-Za-z0-9]{22}$/), quantity: z.number().int().min(1).max(99) }))
  .min(1, "emptyCart")
  .max(50, "emptyCart");

/** Asked only when the chosen method needs it (requiredCustomerData); blank otherwise. */
const billingText = (max: number) => z.string().trim().max(max, "tooLong").default("");

/** The contact fields a method may need: read on the checkout and on the retry form alike. */
export const detailsSchema = z.object({
  email: z.union([z.literal(""), z.email("email").max(254, "email")]),
  address: billingText(120),
  city: billingText(80),
  state: billingText(80),
  zip: billingText(20),
});

/** What is wrong with the number, told as what to do: "Enter your number", "add 01 in front". */
const PHONE_MESSAGES = { empty: "phoneEmpty", benin_add_01: "phoneBeninAdd01", invalid: "phone" } as const;

export const customerSchema = detailsSchema
  .extend({
    name: z.string().trim().min(2, "name").max(80, "name").refine((v) => isPlainText(v), "name"),
    country: z.string().regex(/^[A-Z]{2}$/, "country"),
    phone: z.string().trim().min(1, "phoneEmpty").max(24, "phone"),
    option: z.string().regex(/^[a-z-]+\.[a-z_]+\.(hosted|push)$/, "option"),
  })
  // Checked even when another field is wrong, so that every problem is listed at once.
  .refine((value) => toE164(value.phone, value.country) !== null, {
    path: ["phone"],
    when: ({ value }) => Boolean(phoneOf(value)?.trim()),
    error: ({ input }) => PHONE_MESSAGES[phoneProblem(phoneOf(input) ?? "", countryOf(input)) ?? "invalid"],
  })
  .transform((value) => ({ ...value, phone: toE164(value.phone, value.country)!, email: value.email || null }));

const phoneOf = (input: unknown) => (input as { phone?: unknown } | null)?.phone as string | undefined;
const countryOf = (input: unknown) => String((input as { country?: unknown } | null)?.country ?? "");

export type CustomerDetails = { email: string | null; address: string; city: string; state: string; zip: string };

/**
 * What the chosen method still lacks (error keys by field), checked before any order or
 * payment exists; and the billing address to keep when the method needs one.
 */
export function requirementErrors(details: CustomerDetails, needs: readonly CustomerRequirement[]): CheckoutFieldErrors {
  const errors: CheckoutFieldErrors = {};
  if (needs.includes("email") && !details.email) errors.email = "emailRequired";
  if (needs.includes("billing")) {
    if (!details.address) errors.address = "address";
    if (!details.city) errors.city = "city";
    if (!details.state) errors.state = "state";
  }
  return errors;
}

export function billingOf(details: CustomerDetails, needs: readonly CustomerRequirement[]): BillingAddress | null {
  return needs.includes("billing") ? { address: details.address, city: details.city, state: details.state, zip: details.zip } : null;
}

export type CheckoutField = "cart" | "name" | "email" | "country" | "phone" | "option" | "amount" | "address" | "city" | "state" | "zip" | "form";
export type CheckoutFieldErrors = Partial<Record<CheckoutField, string>>;

/**
 * `lineErrors`: by product id, the cart lines the shop cannot fill (sold out, too few left).
 * `refusal` names a refusal callers act on, so they never compare translated messages.
 */
export type CheckoutState = { fieldErrors: CheckoutFieldErrors; lineErrors?: Record<string, string>; values?: Record<string, string>; refusal?: "too_many_attempts" | "session_closed" } | null;

/** zod issues → one message key per field. */
export function fieldErrors(issues: z.core.$ZodIssue[], t: (key: string) => string = (key) => key): CheckoutFieldErrors {
  const out: CheckoutFieldErrors = {};
  for (const issue of issues) {
    const field = (issue.path[0] as keyof CheckoutFieldErrors | undefined) ?? "form";
    out[field === ("0" as never) ? "cart" : field] ??= t(issue.message);
  }
  return out;
}

/** Message keys → the shopper's words. */
export function translateErrors(errors: CheckoutFieldErrors, t: (key: string) => string): CheckoutFieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key)]));
}
