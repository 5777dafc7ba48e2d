import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { deliverMail, queueMail } from "./queue";
import { outboxListResponse, outboxMessageResponse } from "./routes";
import { passwordResetMail } from "./templates";
import { mailTransport } from "./transport";

describe.each(TEST_DATABASES)("development outbox on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const outbox = mailTransport({ from: "no-reply@caisse.test", production: false });
  const keep = async (to: string, key: string) => {
    const id = (await queueMail(database.db, key, { kind: "password_reset", recipient: to, locale: "en", content: passwordResetMail("en", { name: "Awa", url: `http://caisse.test/reset-password/${to}` }) }))!;
    expect(await deliverMail({ db: database.db, encryptionKey: key, appUrl: "http://caisse.test", transport: outbox }, id)).toBe("sent");
    return id;
  };

  it("lists what development kept, with clickable links, and its HTML version", async () => {
    const id = await keep("kept@example.test", TEST_ENCRYPTION_KEY);
    const deps = { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY };
    const page = await (await outboxListResponse(deps, new Request("http://caisse.test/dev/outbox", { headers: { "accept-language": "en" } }))).text();
    expect(page).toContain("Reset your Caisse password");
    expect(page).toContain("kept@example.test");
    expect(page).toContain('<a href="http://caisse.test/reset-password/kept@example.test">');
    expect(page).toContain(`href="/dev/outbox/${id}"`);
    const html = await outboxMessageResponse(deps, id);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await html.text()).toContain("Choose a new password");
  });

  it("shows nothing another environment kept (another key), and nothing at all in production", async () => {
    const otherKey = randomBytes(32).toString("base64");
    const foreign = await keep("elsewhere@example.test", otherKey);
    const deps = { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY };
    const page = await (await outboxListResponse(deps, new Request("http://caisse.test/dev/outbox"))).text();
    expect(page).not.toContain("elsewhere@example.test");
    expect((await outboxMessageResponse(deps, foreign)).status).toBe(404);
    expect((await outboxListResponse(null, new Request("http://caisse.test/dev/outbox"))).status).toBe(404);
    expect((await outboxMessageResponse(null, foreign)).status).toBe(404);
  });
});
