"use client";
import { useState } from "react";
import { cartAction } from "@/lib/cart/actions";

/**
 * A form of its own: adding works before (and without) JavaScript; with it, "Added" flashes.
 * `soldOutLabel`: none left, so the button is disabled and says so (the server refuses a post all the same).
 */
export function AddToCart({ shop, productId, label, addedLabel, name, soldOutLabel }: { shop: string; productId: string; label: string; addedLabel: string; name: string; soldOutLabel?: string }) {
  const [added, setAdded] = useState(false);
  return (
    <form
      action={cartAction}
      onSubmit={() => {
        setAdded(true);
        setTimeout(() => setAdded(false), 1200);
      }}
    >
      <input type="hidden" name="shop" value={shop} />
      <input type="hidden" name="product" value={productId} />
      <input type="hidden" name="op" value="add" />
      <button
        type="submit"
        disabled={Boolean(soldOutLabel)}
        aria-label={`${soldOutLabel ?? label} : ${name}`}
        data-testid={`add-${productId}`}
        className="mt-2 min-h-11 w-full rounded-lg bg-brand-700 px-3 text-sm font-semibold text-white hover:bg-brand-900 disabled:bg-stone-200 disabled:text-stone-700"
      >
        {soldOutLabel ? <span data-testid="sold-out">{soldOutLabel}</span> : added ? addedLabel : label}
      </button>
    </form>
  );
}
