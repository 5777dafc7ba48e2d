/** What a shopper is told about a line the shop cannot fill: "sold out", or "only N left", with the product's name (checkout.errors keys). */
export function stockMessage(product: { name: string; left: number }, t: (key: string, values: Record<string, string | number>) => string): string {
  return product.left === 0 ? t("soldOut", { name: product.name }) : t("notEnoughStock", { name: product.name, left: product.left });
}
