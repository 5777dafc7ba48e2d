import "../merchant.css";

/** Opening a store: the merchant's stylesheet on top of the shopper's (app/merchant.css). */
export default function AccountLayout({ children }: { children: React.ReactNode }) {
  return children;
}
