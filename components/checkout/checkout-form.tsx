"use client";
import { useActionState } from "react";
import { cartAction } from "@/lib/cart/actions";
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
 * The cart is the server's (a signed cookie, lib/cart): each line's − and + are submit buttons of
 * a small form of their own (a form cannot hold another, so they name it with `form=`), which
 * works without JavaScript. The cart sent with the payment is what this page showed; prices are
 * the database's, on the page and at checkout.
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
  const [state, action, pending] = useActionState(checkoutAction, null);
  const byId = new Map(props.products.map((p) => [p.id, p]));
  const items = lines.filter((l) => byId.has(l.productId));
  const total = items.reduce((sum, l) => sum + byId.get(l.productId)!.priceMinor * l.quantity, 0);
  const money = (n: number) => formatMoney(n, props.currency, props.locale);
  const errors = state?.fieldErrors ?? {};
  const lineErrors = state?.lineErrors ?? props.lineErrors ?? {};
  const { labels } = props;

  const lineForm = (productId: string) => `cart-line-${productId}`;

  return (
    <>
      <form action={action} className="space-y-6" noValidate>
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
                    <span className="flex-1">{p.name}</span>
                    <span className="flex items-center gap-1">
                      {/* The name starts with the symbol a speech-input user sees and says (WCAG 2.5.3). */}
                      <button type="submit" form={lineForm(l.productId)} name="op" value="dec" data-testid={`decrease-${l.productId}`} className="size-9 rounded-lg border border-stone-300">
                        −<span className="sr-only">{` ${labels.decrease} : ${p.name}`}</span>
                      </button>
                      <span className="w-6 text-center tabular-nums" aria-live="polite" data-testid={`quantity-${l.productId}`}>
                        {l.quantity}
                      </span>
                      <button
                        type="submit"
                        form={lineForm(l.productId)}
                        name="op"
                        value="inc"
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
                      <p id={`line-error-${l.productId}`} className="mt-1 font-medium text-red-700" data-testid={`line-error-${l.productId}`}>
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
          <button type="submit" disabled={pending} data-testid="pay" className="min-h-12 w-full rounded-lg bg-brand-700 px-4 text-base font-semibold text-white disabled:bg-stone-400">
            {pending ? labels.paying : labels.pay.replace("{amount}", money(total))}
          </button>
        </StickyPay>
        <p className="text-center text-xs text-stone-600">{labels.secure}</p>
      </form>
      {items.map((l) => (
        <form key={l.productId} id={lineForm(l.productId)} action={cartAction}>
          <input type="hidden" name="shop" value={props.shop} />
          <input type="hidden" name="product" value={l.productId} />
          <input type="hidden" name="back" value="checkout" />
        </form>
      ))}
    </>
  );
}
