"use client";
import { useState } from "react";
import { useCart } from "./cart-store";

export function AddToCart({ shop, productId, label, addedLabel, name }: { shop: string; productId: string; label: string; addedLabel: string; name: string }) {
  const { add } = useCart(shop);
  const [added, setAdded] = useState(false);
  return (
    <button
      type="button"
      aria-label={`${label} : ${name}`}
      data-testid={`add-${productId}`}
      onClick={() => {
        add(productId);
        setAdded(true);
        setTimeout(() => setAdded(false), 1200);
      }}
      className="mt-2 min-h-11 w-full rounded-lg bg-brand-700 px-3 text-sm font-semibold text-white hover:bg-brand-900"
    >
      {added ? addedLabel : label}
    </button>
  );
}
