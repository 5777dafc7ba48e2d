import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";

/**
 * Whether a session signed in at `signedInAt` (ms, the JWT's own claim set at sign-in) may still
 * act for the user. Sessions are JWTs that no server row can end, so a password reset would
 * otherwise leave a stolen session working until it expires: every session signed in before the
 * password was last reset is over. A session without the claim (issued before it existed) counts
 * as the oldest; an account never reset keeps all its sessions.
 */
export async function sessionStillValid(db: Db, userId: string, signedInAt: number | undefined): Promise<boolean> {
  const [user] = await db.select({ passwordChangedAt: users.passwordChangedAt }).from(users).where(eq(users.id, userId));
  if (!user) return false;
  if (!user.passwordChangedAt) return true;
  return typeof signedInAt === "number" && signedInAt >= user.passwordChangedAt.getTime();
}
