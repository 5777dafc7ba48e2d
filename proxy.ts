// Next 16 renamed middleware to proxy. This is only the first gate: pages and actions still
// call requireMerchant(), because a proxy can be bypassed by a misconfigured matcher.
import { withAuth } from "next-auth/middleware";
import { env } from "@/lib/env";

export default withAuth({
  pages: { signIn: "/login" },
  secret: env().NEXTAUTH_SECRET,
  callbacks: {
    // A server action posted after the session expired must reach its own requireMerchant(),
    // whose redirect the client follows; the proxy's HTML redirect would break the page instead.
    authorized: ({ token, req }) => Boolean(token) || (req.method === "POST" && req.headers.has("next-action")),
  },
});

export const config = { matcher: ["/dashboard", "/dashboard/:path*"] };
