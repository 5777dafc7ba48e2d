import Link from "next/link";
import type { CartLine } from "@/lib/cart/cookie";
import { formatMoney, type Locale } from "@/lib/money";

type Product = { id: string; priceMinor: number };

/** Sticky at the bottom of the storefront, where a thumb reaches it. The cart is the server's. */
export function CartBar({ shop, lines, products, currency, locale, labels }: { shop: string; lines: CartLine[]; products: Product[]; currency: string; locale: Locale; labels: { checkout: string; count: string[] } }) {
  const prices = new Map(products.map((p) => [p.id, p.priceMinor]));
  const known = lines.filter((l) => prices.has(l.productId));
  const count = known.reduce((n, l) => n + l.quantity, 0);
  const total = known.reduce((sum, l) => sum + prices.get(l.productId)! * l.quantity, 0);
  return (
    <div className="fixed inset-x-0 bottom-0 border-t border-stone-200 bg-white p-3" aria-live="polite">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-3">
        <p className="text-sm" data-testid="cart-summary">
          <span className="font-semibold">{labels.count[Math.min(count, 2)]!.replace("#", String(count))}</span>
          {count > 0 && <span className="ml-2 tabular-nums">{formatMoney(total, currency, locale)}</span>}
        </p>
        {count > 0 ? (
          <Link href={`/${shop}/checkout`} className="inline-flex min-h-11 items-center rounded-lg bg-brand-700 px-5 font-semibold text-white" data-testid="go-checkout">
            {labels.checkout}
          </Link>
        ) : null}
      </div>
    </div>
  );
}
