import { z } from "zod";
import { toE164 } from "@/lib/phone";
import { isPlainText } from "@/lib/validation";

/**
 * The checkout form as the server reads it. Error messages are keys of the "checkout.errors"
 * namespace, translated where the form is rendered. Prices are never read from the form.
 */
export const cartSchema = z
  .array(z.object({ productId: z.string().regex(/^prd_[A-Za-z0-9]{22}$/), quantity: z.number().int().min(1).max(99) }))
  .min(1, "emptyCart")
  .max(50, "emptyCart");

export const customerSchema = z
  .object({
    name: z.string().trim().min(2, "name").max(80, "name").refine((v) => isPlainText(v), "name"),
    email: z.union([z.literal(""), z.email("email").max(254, "email")]),
    country: z.string().regex(/^[A-Z]{2}$/, "country"),
    phone: z.string().trim().min(6, "phone").max(24, "phone"),
    option: z.string().regex(/^[a-z-]+\.[a-z_]+\.(hosted|push)$/, "option"),
  })
  .transform((value, ctx) => {
    const e164 = toE164(value.phone, value.country);
    if (!e164) {
      ctx.addIssue({ code: "custom", path: ["phone"], message: "phone" });
      return z.NEVER;
    }
    return { ...value, phone: e164, email: value.email || null };
  });

export type CheckoutFieldErrors = Partial<Record<"cart" | "name" | "email" | "country" | "phone" | "option" | "amount" | "form", string>>;

export type CheckoutState = { fieldErrors: CheckoutFieldErrors; values?: Record<string, string> } | null;

/** zod issues → one translated message per field. */
export function fieldErrors(issues: z.core.$ZodIssue[], t: (key: string) => string): CheckoutFieldErrors {
  const out: CheckoutFieldErrors = {};
  for (const issue of issues) {
    const field = (issue.path[0] as keyof CheckoutFieldErrors | undefined) ?? "form";
    out[field === ("0" as never) ? "cart" : field] ??= t(issue.message);
  }
  return out;
}
