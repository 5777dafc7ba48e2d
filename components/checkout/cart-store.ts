"use client";
import { useCallback, useMemo, useSyncExternalStore } from "react";

/**
 * The cart lives in localStorage, per shop, so it survives reloads and a flaky connection; the
 * server only ever trusts product ids and quantities from it, never prices.
 */
export type CartLine = { productId: string; quantity: number };

const key = (shop: string) => `caisse.cart.${shop}`;
const listeners = new Set<() => void>();

function read(shop: string): string {
  try {
    return localStorage.getItem(key(shop)) ?? "[]";
  } catch {
    return "[]";
  }
}

function write(shop: string, lines: CartLine[]) {
  try {
    localStorage.setItem(key(shop), JSON.stringify(lines.filter((l) => l.quantity > 0)));
  } catch {
    // private mode or full storage: the cart just won't survive a reload
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function parse(raw: string): CartLine[] {
  try {
    const value = JSON.parse(raw) as unknown;
    return Array.isArray(value) ? value.filter((l): l is CartLine => typeof l?.productId === "string" && Number.isInteger(l?.quantity) && l.quantity > 0) : [];
  } catch {
    return [];
  }
}

export function useCart(shop: string) {
  const raw = useSyncExternalStore(subscribe, () => read(shop), () => "[]");
  const lines = useMemo(() => parse(raw), [raw]);
  const setQuantity = useCallback(
    (productId: string, quantity: number) => {
      const current = parse(read(shop));
      const rest = current.filter((l) => l.productId !== productId);
      write(shop, quantity > 0 ? [...rest, { productId, quantity: Math.min(quantity, 99) }] : rest);
    },
    [shop],
  );
  const add = useCallback((productId: string) => setQuantity(productId, (parse(read(shop)).find((l) => l.productId === productId)?.quantity ?? 0) + 1), [setQuantity, shop]);
  const clear = useCallback(() => write(shop, []), [shop]);
  return { lines, add, setQuantity, clear };
}
