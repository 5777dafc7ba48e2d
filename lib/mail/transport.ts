import nodemailer from "nodemailer";
import type { MailContent } from "./templates";

/** Where a message goes when it leaves: an SMTP server, or the development outbox (nowhere). */
export type MailTransport = {
  via: "smtp" | "outbox";
  send(message: MailContent & { to: string }): Promise<void>;
};

export class NoMailServer extends Error {
  constructor() {
    super("SMTP_URL is not set: the message waits in the queue");
    this.name = "NoMailServer";
  }
}

/**
 * SMTP_URL when set. Without it, development and tests keep messages for /dev/outbox; production
 * refuses to pretend (the message stays queued and is retried until SMTP_URL is set).
 */
export function mailTransport(config: { smtpUrl?: string; from: string; production: boolean }): MailTransport {
  if (config.smtpUrl) {
    // Short timeouts: a dead server must fail the attempt (retried later), not hold a worker.
    const smtp = nodemailer.createTransport(config.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    return {
      via: "smtp",
      async send(message) {
        await smtp.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      },
    };
  }
  if (config.production) {
    return {
      via: "smtp",
      async send() {
        throw new NoMailServer();
      },
    };
  }
  return { via: "outbox", async send() {} };
}
