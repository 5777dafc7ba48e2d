"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { CartLine } from "@/lib/cart/cookie";
import { checkoutAction } from "@/lib/checkout/actions";
import { formatMoney, type Locale } from "@/lib/money";
import { CustomerFields, type CustomerLabels, type OptionView } from "./customer-fields";
import { ErrorSummary } from "./error-summary";
import { StickyPay } from "./sticky-pay";

/** `stock`: units left (null: unlimited); + stops there, the server refusing more all the same. */
type Product = { id: string; name: string; priceMinor: number; stock: number | null };
type Labels = CustomerLabels & { errorSummary: string; yourOrder: string; total: string; remove: string; decrease: string; increase: string; empty: string; pay: string; paying: string; secure: string };

/**
 * The cart is the server's (a signed cookie, lib/cart): each line's −, + and remove are submit
 * buttons of this very form, named `line`, so that the fields already typed travel with them and
 * come back as they were (the action changes the cart, places nothing: lib/cart/line-edit.ts),
 * with JavaScript or without. The cart sent with the payment is what this page showed; prices
 * are the database's, on the page and at checkout.
 */
export function CheckoutForm(props: {
  shop: string;
  lines: CartLine[];
  locale: Locale;
  currency: string;
  products: Product[];
  countries: { code: string; label: string }[];
  optionsByCountry: Record<string, OptionView[]>;
  defaultCountry: string;
  labels: Labels;
  /** By product id, the lines the shop cannot fill as the page was rendered (sold out, too few left). */
  lineErrors?: Record<string, string>;
}) {
  const { lines } = props;
  const [state, action] = useActionState(checkoutAction, null);
  const byId = new Map(props.products.map((p) => [p.id, p]));
  const items = lines.filter((l) => byId.has(l.productId));
  const total = items.reduce((sum, l) => sum + byId.get(l.productId)!.priceMinor * l.quantity, 0);
  const money = (n: number) => formatMoney(n, props.currency, props.locale);
  const errors = state?.fieldErrors ?? {};
  const lineErrors = state?.lineErrors ?? props.lineErrors ?? {};
  const { labels } = props;

  return (
    <form action={action} className="space-y-6" noValidate>
      {/* Enter in a field submits with the form's first submit button: that must be Pay, not the first line's −. */}
      <button type="submit" hidden tabIndex={-1} />
      <input type="hidden" name="merchant" value={props.shop} />
      <input type="hidden" name="locale" value={props.locale} />
      <input type="hidden" name="cart" value={JSON.stringify(items.map(({ productId, quantity }) => ({ productId, quantity })))} />
      <ErrorSummary errors={errors} title={labels.errorSummary} />
      <section aria-labelledby="order-title" className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 id="order-title" className="font-semibold">{labels.yourOrder}</h2>
        {items.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600" data-testid="cart-empty">{labels.empty}</p>
        ) : (
          <ul className="mt-2 divide-y divide-stone-100" data-testid="cart-lines">
            {items.map((l) => {
              const p = byId.get(l.productId)!;
              return (
                <li key={l.productId} className="py-2 text-sm">
                  <div className="flex items-center justify-between gap-2">
                  <span className="flex-1">
                    {p.name}
                    <button type="submit" name="line" value={`remove:${l.productId}`} data-testid={`remove-${l.productId}`} className="block py-1 text-xs text-stone-600 underline">
                      {labels.remove}
                      <span className="sr-only">{` : ${p.name}`}</span>
                    </button>
                  </span>
                  <span className="flex items-center gap-1">
                    {/* The name starts with the symbol a speech-input user sees and says (WCAG 2.5.3). */}
                    <button type="submit" name="line" value={`dec:${l.productId}`} data-testid={`decrease-${l.productId}`} className="size-9 rounded-lg border border-stone-300">
                      −<span className="sr-only">{` ${labels.decrease} : ${p.name}`}</span>
                    </button>
                    <span className="w-6 text-center tabular-nums" aria-live="polite" data-testid={`quantity-${l.productId}`}>
                      {l.quantity}
                    </span>
                    <button
                      type="submit"
                      name="line"
                      value={`inc:${l.productId}`}
                      disabled={p.stock !== null && l.quantity >= p.stock}
                      data-testid={`increase-${l.productId}`}
                      className="size-9 rounded-lg border border-stone-300 disabled:text-stone-400"
                    >
                      +<span className="sr-only">{` ${labels.increase} : ${p.name}`}</span>
                    </button>
                  </span>
                  <span className="w-28 text-right tabular-nums">{money(p.priceMinor * l.quantity)}</span>
                  </div>
                  {lineErrors[l.productId] && (
                    <p id={`line-error-${l.productId}`} role="alert" className="mt-1 font-medium text-red-700" data-testid={`line-error-${l.productId}`}>
                      {lineErrors[l.productId]}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <p className="mt-2 flex justify-between border-t border-stone-200 pt-2 font-semibold">
          <span>{labels.total}</span>
          <span className="tabular-nums" data-testid="cart-total">{money(total)}</span>
        </p>
        {errors.cart && <p className="mt-2 text-sm font-medium text-red-700" data-testid="error-cart">{errors.cart}</p>}
      </section>
      <CustomerFields countries={props.countries} optionsByCountry={props.optionsByCountry} defaultCountry={props.defaultCountry} labels={labels} errors={errors} values={state?.values} />
      <StickyPay>
        <p className="flex justify-between text-sm" data-testid="sticky-total">
          <span>{labels.total}</span>
          <span className="font-semibold tabular-nums">{money(total)}</span>
        </p>
        <PayButton label={labels.pay.replace("{amount}", money(total))} paying={labels.paying} />
      </StickyPay>
      <p className="text-center text-xs text-stone-600">{labels.secure}</p>
    </form>
  );
}

/** "Paying…" only while the payment is under way: −, + and remove post the same form. */
function PayButton({ label, paying }: { label: string; paying: string }) {
  const { pending, data } = useFormStatus();
  const busy = pending && !data?.has("line");
  return (
    <button type="submit" disabled={busy} data-testid="pay" className="min-h-12 w-full rounded-lg bg-brand-700 px-4 text-base font-semibold text-white disabled:bg-stone-400">
      {busy ? paying : label}
    </button>
  );
}
