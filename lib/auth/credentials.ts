import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/password";
import { countSignInAttempt, signInSucceeded } from "./rate-limit";

export const signInSchema = z.object({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

export type AuthUser = { id: string; email: string; name: string };

export class SignInRateLimited extends Error {
  constructor() {
    super("rate_limited");
    this.name = "SignInRateLimited";
  }
}

/**
 * Returns the user when the password matches; the same work is done for unknown e-mails.
 * Throws SignInRateLimited, before any password is checked, when the e-mail or the client
 * address tried too often recently (this attempt counted).
 */
export async function checkCredentials(db: Db, input: unknown, ip: string | null = null): Promise<AuthUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const attempt = await countSignInAttempt(db, parsed.data.email, ip);
  if (!attempt.allowed) throw new SignInRateLimited();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, parsed.data.email));
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash);
  if (!ok || !user) return null;
  await signInSucceeded(db, attempt);
  return { id: user.id, email: user.email, name: user.name };
}
