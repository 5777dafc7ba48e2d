import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/password";

export const signInSchema = z.object({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

export type AuthUser = { id: string; email: string; name: string };

/** Returns the user when the password matches; the same work is done for unknown e-mails. */
export async function checkCredentials(db: Db, input: unknown): Promise<AuthUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, parsed.data.email));
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
}
