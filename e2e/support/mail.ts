import { expect } from "@playwright/test";
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from "../../lib/testing/smtp-catcher";
import { E2E_SMTP_PORT } from "./smtp-port";

export const startE2eSmtp = (): Promise<SmtpCatcher> => startSmtpCatcher(E2E_SMTP_PORT);

/** The one e-mail to `to` once it has arrived (the app sends it from its queue, within seconds). */
export async function mailTo(smtp: SmtpCatcher, to: string, subject: RegExp): Promise<CaughtMail> {
  await expect.poll(() => smtp.to(to).filter((m) => subject.test(m.subject)).length, { timeout: 20_000 }).toBeGreaterThan(0);
  return smtp.to(to).find((m) => subject.test(m.subject))!;
}

export const linkIn = (mail: CaughtMail, path: RegExp): string => {
  const link = mail.text.match(new RegExp(`https?://\\S+${path.source}`))?.[0];
  if (!link) throw new Error(`no link matching ${path} in "${mail.subject}"`);
  return link;
};
