"use client";
import { useState } from "react";
import { cartAction } from "@/lib/cart/actions";

/** A form of its own: adding works before (and without) JavaScript; with it, "Added" flashes. */
export function AddToCart({ shop, productId, label, addedLabel, name }: { shop: string; productId: string; label: string; addedLabel: string; name: string }) {
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
        aria-label={`${label} : ${name}`}
        data-testid={`add-${productId}`}
        className="mt-2 min-h-11 w-full rounded-lg bg-brand-700 px-3 text-sm font-semibold text-white hover:bg-brand-900"
      >
        {added ? addedLabel : label}
      </button>
    </form>
  );
}
