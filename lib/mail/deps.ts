import "server-only";
import { getDatabase } from "@/db";
import { env } from "@/lib/env";
import type { MailDeps } from "./queue";
import { mailTransport } from "./transport";

/** The app's mail settings from the environment (lib/env.ts). */
export async function mailDeps(): Promise<MailDeps> {
  const e = env();
  const { db } = await getDatabase();
  return {
    db,
    encryptionKey: e.CAISSE_ENCRYPTION_KEY,
    appUrl: e.APP_URL,
    transport: mailTransport({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, production: e.NODE_ENV === "production" }),
  };
}
