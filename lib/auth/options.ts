import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { checkCredentials } from "./credentials";
import { clientAddress } from "./rate-limit";
import { safeRedirect } from "./route-screen";
import { logger } from "@/lib/log";

const SESSION_MAX_AGE = 8 * 60 * 60; // a working day; the dashboard moves money

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    jwt: { maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "credentials",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          // next-auth turns a thrown error's message into the `error` the sign-in form receives.
          return checkCredentials(await getDb(), credentials, clientAddress(req?.headers?.["x-forwarded-for"], env().TRUSTED_PROXY_HOPS));
        },
      }),
    ],
    callbacks: {
      redirect: safeRedirect,
      // When this session signed in, kept through every refresh (the JWT's iat is not): a password
      // reset ends the sessions older than it (lib/auth/session.ts).
      jwt({ token, user }) {
        if (user) token.signedInAt = Date.now();
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        if (session.user && typeof token.signedInAt === "number") (session.user as { signedInAt?: number }).signedInAt = token.signedInAt;
        return session;
      },
    },
    logger: {
      // next-auth logs failed credentials with the submitted payload; keep only the code.
      error: (code) => logger("auth").error({ code }, "next-auth error"),
      warn: (code) => logger("auth").warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}
