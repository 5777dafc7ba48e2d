// Next 16 renamed middleware to proxy. This is only the first gate: pages and actions still
// call requireMerchant(), because a proxy can be bypassed by a misconfigured matcher.
import { withAuth } from "next-auth/middleware";
import { env } from "@/lib/env";

export default withAuth({ pages: { signIn: "/login" }, secret: env().NEXTAUTH_SECRET });

export const config = { matcher: ["/dashboard", "/dashboard/:path*"] };
