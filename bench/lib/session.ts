import { encode } from "next-auth/jwt";
import { BENCH_SECRET } from "./app";

/**
 * The cookie a signed-in merchant user carries: next-auth's own JWT, minted with the bench
 * instance's secret, so requests go through the real session check without the sign-in form.
 */
export async function sessionCookie(user: { id: string; email: string; name?: string | null }): Promise<string> {
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name ?? null }, secret: BENCH_SECRET, maxAge: 3600 });
  return `next-auth.session-token=${token}`;
}
