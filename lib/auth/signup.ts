import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { hashPassword, verifyPassword } from "@/lib/password";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes, isPlainText } from "@/lib/validation";
import { passwordProblem, PASSWORD_MAX } from "./password-rules";
import { countSignInAttempt, signInSucceeded, type SignInAttempt } from "./rate-limit";

const signUpSchema = z.object({
  name: z.string().trim().min(1, "name_required").max(120, "too_long").refine((v) => isPlainText(v), "invalid"),
  email: z.string().trim().toLowerCase().min(1, "email_required").max(254, "too_long").pipe(z.email("email_invalid")),
  password: z.string().min(1, "password_required").max(PASSWORD_MAX, "too_long"),
});

export type SignedUp = { userId: string; email: string; newAccount: boolean };

/**
 * Creates an account. Every attempt is counted by the sign-in limiter (the same per-e-mail and
 * per-address counts, before any lookup), and a created account does not give its attempt back:
 * an address creates at most LIMITS.ip accounts per window, and probing an e-mail here costs what
 * guessing its password at sign-in costs.
 *
 * An e-mail that already has an account: with that account's password the answer is a success
 * (the form submitted twice, or a returning user: what sign-in would answer); with any other it
 * is "email_unavailable", which tells that the address cannot be used without saying more. Both
 * paths do one bcrypt, like a new account. Two sign-ups of one e-mail at once make one account
 * (the unique index on lower(email)); the other is answered as above.
 */
export async function signUp(db: Db, input: Record<string, unknown>, ip: string | null): Promise<ActionResult<SignedUp>> {
  const parsed = signUpSchema.safeParse(input);
  const fieldErrors = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const email = parsed.success ? parsed.data.email : "";
  if (typeof input.password === "string" && !fieldErrors.password) {
    const problem = passwordProblem(input.password, email || String(input.email ?? ""));
    if (problem) fieldErrors.password = problem;
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ok: false, error: "invalid_input", fieldErrors };
  const { name, password } = parsed.data;

  const attempt = await countSignInAttempt(db, email, ip);
  if (!attempt.allowed) return { ok: false, error: "rate_limited" };

  const existing = await accountFor(db, email, password);
  if (existing !== "none") return existing === "unavailable" ? unavailable() : signedIn(db, attempt, existing);
  const user = { id: newId("usr"), email, name, passwordHash: await hashPassword(password) };
  try {
    await db.insert(users).values(user);
  } catch (error) {
    if (!uniqueViolation(error, "users_email_key")) throw error;
    // Another sign-up of this e-mail won the race: answered as if it had come first.
    const winner = await accountFor(db, email, password);
    return winner === "unavailable" || winner === "none" ? unavailable() : signedIn(db, attempt, winner);
  }
  logger("auth").info({ userId: user.id }, "account created");
  return { ok: true, userId: user.id, email, newAccount: true };
}

async function accountFor(db: Db, email: string, password: string): Promise<"none" | "unavailable" | { id: string; email: string }> {
  const [row] = await db.select({ id: users.id, email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(sql`lower(${users.email})`, email));
  if (!row) return "none";
  return (await verifyPassword(password, row.passwordHash)) ? { id: row.id, email: row.email } : "unavailable";
}

async function signedIn(db: Db, attempt: SignInAttempt, user: { id: string; email: string }): Promise<ActionResult<SignedUp>> {
  await signInSucceeded(db, attempt);
  return { ok: true, userId: user.id, email: user.email, newAccount: false };
}

const unavailable = (): ActionResult<SignedUp> => ({ ok: false, error: "invalid_input", fieldErrors: { email: "email_unavailable" } });
