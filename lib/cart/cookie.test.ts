import { describe, expect, it } from "vitest";
import { applyCartOp, cartKey, decodeCart, encodeCart, MAX_LINES, MAX_QUANTITY, type CartLine } from "./cookie";

const key = cartKey("a-secret-of-at-least-16-chars");
const id = (n: number) => `prd_${String(n).padStart(22, "A")}`;
const cart: CartLine[] = [
  { productId: id(1), quantity: 2 },
  { productId: id(2), quantity: 1 },
];

describe("the signed cart cookie", () => {
  it("reads back what it wrote, for the store it was written for", () => {
    expect(decodeCart(key, "demo", encodeCart(key, "demo", cart))).toEqual(cart);
  });

  it("reads as an empty cart when tampered with, signed by another key, for another store, too long or garbled", () => {
    const cookie = encodeCart(key, "demo", cart);
    const [version, payload, signature] = cookie.split(".");
    const forged = Buffer.from(`demo|${id(1)}:99`).toString("base64url");
    expect(decodeCart(key, "demo", `${version}.${forged}.${signature}`)).toEqual([]);
    expect(decodeCart(key, "demo", `${version}.${payload}.${signature!.slice(0, -1)}A`)).toEqual([]);
    expect(decodeCart(cartKey("another-secret-of-16-chars"), "demo", cookie)).toEqual([]);
    expect(decodeCart(key, "autre", cookie)).toEqual([]);
    expect(decodeCart(key, "demo", `${cookie}${"x".repeat(3000)}`)).toEqual([]);
    for (const garbage of ["", ".", "c1..", "c1.%%%.x", `${cookie}.extra`, "c2" + cookie.slice(2)]) expect(decodeCart(key, "demo", garbage)).toEqual([]);
  });

  it("keeps only well-formed lines, even signed: no foreign ids, quantities in 1..99, no duplicate, at most the bound", () => {
    const lines = [
      { productId: "prd_short", quantity: 1 },
      { productId: id(3), quantity: 0 },
      { productId: id(4), quantity: MAX_QUANTITY + 1 },
      { productId: id(5), quantity: 1.5 },
      { productId: id(6), quantity: 3 },
      { productId: id(6), quantity: 4 },
      ...Array.from({ length: MAX_LINES + 5 }, (_, i) => ({ productId: id(100 + i), quantity: 1 })),
    ];
    const read = decodeCart(key, "demo", encodeCart(key, "demo", lines));
    expect(read[0]).toEqual({ productId: id(6), quantity: 3 });
    expect(read).toHaveLength(MAX_LINES);
  });
});

describe("the cart's buttons", () => {
  it("add, one more, one less, remove", () => {
    let lines = applyCartOp([], "add", id(1));
    lines = applyCartOp(lines, "add", id(1));
    lines = applyCartOp(lines, "add", id(2));
    expect(lines).toEqual(cart);
    expect(applyCartOp(lines, "inc", id(2))).toEqual([cart[0], { productId: id(2), quantity: 2 }]);
    expect(applyCartOp(lines, "dec", id(2))).toEqual([cart[0]]);
    expect(applyCartOp(lines, "remove", id(1))).toEqual([cart[1]]);
  });

  it("never goes above 99 nor past the bound on lines, and − or + on a product not in the cart changes nothing", () => {
    expect(applyCartOp([{ productId: id(1), quantity: MAX_QUANTITY }], "inc", id(1))).toEqual([{ productId: id(1), quantity: MAX_QUANTITY }]);
    const full = Array.from({ length: MAX_LINES }, (_, i) => ({ productId: id(i), quantity: 1 }));
    expect(applyCartOp(full, "add", id(999))).toBe(full);
    expect(applyCartOp(cart, "inc", id(3))).toBe(cart);
    expect(applyCartOp(cart, "dec", id(3))).toBe(cart);
  });
});
