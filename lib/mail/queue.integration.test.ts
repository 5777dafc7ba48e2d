import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually } from "@/lib/testing/payments";
import { freePort, startSmtpCatcher, type SmtpCatcher } from "@/lib/testing/smtp-catcher";
import { queueMail, type MailDeps } from "./queue";
import { passwordResetMail } from "./templates";
import { mailTransport } from "./transport";
import { startMailWorker } from "./worker";

const FROM = "Caisse <no-reply@caisse.test>";

describe.each(TEST_DATABASES)("mail queue on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const deps = (smtpUrl: string): MailDeps => ({ db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: "http://caisse.test", transport: mailTransport({ smtpUrl, from: FROM, production: true }) });
  const rowOf = async (id: string) => (await database.db.select().from(s.mailMessages).where(eq(s.mailMessages.id, id)))[0]!;
  const message = (to: string) => ({ kind: "password_reset" as const, recipient: to, locale: "fr", content: passwordResetMail("fr", { name: "Awa", url: "http://caisse.test/reset-password/abc" }) });

  it("a message queued while the SMTP server is down is retried with backoff and delivered once when it is back", async () => {
    const port = await freePort();
    const worker = await startMailWorker(deps(`smtp://127.0.0.1:${port}`), database, { pumpIntervalMs: 200, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 });
    let smtp: SmtpCatcher | undefined;
    try {
      const id = (await queueMail(database.db, TEST_ENCRYPTION_KEY, message("down@example.test")))!;
      // Two failed attempts: the job was retried, and the message is still there, queued.
      const failed = await eventually(() => rowOf(id), (r) => r.attempts >= 2, 30_000);
      expect(failed).toMatchObject({ status: "queued", sentAt: null });
      expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(failed.content).not.toBeNull();

      smtp = await startSmtpCatcher(port);
      const sent = await eventually(() => rowOf(id), (r) => r.status === "sent", 30_000);
      expect(sent).toMatchObject({ via: "smtp", lastError: null, content: null });
      // A few more pumps and polls: nothing sends it again.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const received = smtp.to("down@example.test");
      expect(received).toHaveLength(1);
      expect(received[0]!.subject).toBe("Réinitialisez votre mot de passe Caisse");
      expect(received[0]!.from).toBe("no-reply@caisse.test");
      expect(received[0]!.text).toContain("http://caisse.test/reset-password/abc");
      expect(received[0]!.html).toContain('href="http://caisse.test/reset-password/abc"');
    } finally {
      await worker.stop();
      await smtp?.close();
    }
  });

  it("a server answering with a temporary failure loses nothing: the message waits, queued", async () => {
    const smtp = await startSmtpCatcher(0, { refuse: true });
    const worker = await startMailWorker(deps(smtp.url), database, { pumpIntervalMs: 200, retryDelaySeconds: 60, pollingIntervalSeconds: 0.5 });
    try {
      const id = (await queueMail(database.db, TEST_ENCRYPTION_KEY, message("busy@example.test")))!;
      const row = await eventually(() => rowOf(id), (r) => r.attempts >= 1, 15_000);
      expect(row).toMatchObject({ status: "queued", via: null });
      expect(row.lastError).toMatch(/451|try again/);
      expect(smtp.to("busy@example.test")).toEqual([]);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it("a message written in a transaction that rolls back is never queued", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await queueMail(tx, TEST_ENCRYPTION_KEY, message("rolled-back@example.test"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await database.db.select().from(s.mailMessages).where(eq(s.mailMessages.recipient, "rolled-back@example.test"))).toEqual([]);
  });

  it("the same dedupe key queues one message", async () => {
    const first = await queueMail(database.db, TEST_ENCRYPTION_KEY, { ...message("once@example.test"), dedupeKey: "test:once" });
    const second = await queueMail(database.db, TEST_ENCRYPTION_KEY, { ...message("once@example.test"), dedupeKey: "test:once" });
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBeNull();
  });
});
