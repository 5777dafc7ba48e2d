import type { CheckoutFieldErrors } from "@/lib/checkout/schema";
import { TextField } from "./field";

export type BillingLabels = { billingTitle: string; email: string; address: string; city: string; state: string; zip: string };

/**
 * What a card channel needs (CinetPay's: e-mail and billing address). Shown, with CSS alone,
 * only while an option marked `data-billing` is checked in the enclosing `group`: no script
 * decides it, so it also works before hydration. The server checks the same fields again.
 */
export function BillingFields({ labels, errors, values, prefix = "", withEmail }: { labels: BillingLabels; errors: CheckoutFieldErrors; values?: Record<string, string>; prefix?: string; withEmail: boolean }) {
  return (
    <fieldset className="hidden space-y-3 rounded-lg border border-stone-300 p-3 group-has-[input[data-billing]:checked]:block" data-testid={`${prefix}billing`}>
      <legend className="px-1 text-sm font-medium">{labels.billingTitle}</legend>
      {withEmail && <TextField field="email" prefix={prefix} label={labels.email} errors={errors} type="email" inputMode="email" autoComplete="email" defaultValue={values?.email} />}
      <TextField field="address" prefix={prefix} label={labels.address} errors={errors} autoComplete="street-address" maxLength={120} defaultValue={values?.address} />
      <TextField field="city" prefix={prefix} label={labels.city} errors={errors} autoComplete="address-level2" maxLength={80} defaultValue={values?.city} />
      <TextField field="state" prefix={prefix} label={labels.state} errors={errors} autoComplete="address-level1" maxLength={80} defaultValue={values?.state} />
      <TextField field="zip" prefix={prefix} label={labels.zip} errors={errors} autoComplete="postal-code" maxLength={20} defaultValue={values?.zip} />
    </fieldset>
  );
}
