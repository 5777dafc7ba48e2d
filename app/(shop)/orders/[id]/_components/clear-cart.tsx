"use client";
import { useEffect } from "react";
import { useCart } from "@/components/checkout/cart-store";

/** The cart became this order: empty it so the shop starts fresh. */
export function ClearCart({ shop }: { shop: string }) {
  const { clear } = useCart(shop);
  useEffect(() => clear(), [clear]);
  return null;
}
