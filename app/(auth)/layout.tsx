import "../merchant.css";

/** Sign-in and invitations: the merchant's stylesheet on top of the shopper's (app/merchant.css). */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return children;
}
