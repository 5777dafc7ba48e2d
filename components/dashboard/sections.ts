export const SECTIONS = [
  { key: "overview", href: "/dashboard" },
  { key: "orders", href: "/dashboard/orders" },
  { key: "pending", href: "/dashboard/pending" },
  { key: "exceptions", href: "/dashboard/exceptions" },
  { key: "settlements", href: "/dashboard/settlements" },
  { key: "notifications", href: "/dashboard/notifications" },
  { key: "products", href: "/dashboard/products" },
  { key: "links", href: "/dashboard/links" },
  { key: "settings", href: "/dashboard/settings" },
] as const;

/** The section a path belongs to: an order's page is under Orders; the overview only at /dashboard itself. */
export function currentSection(pathname: string): string | null {
  const match = SECTIONS.filter((s) => (s.href === "/dashboard" ? pathname === s.href : pathname === s.href || pathname.startsWith(`${s.href}/`)));
  return match.at(-1)?.key ?? null;
}
