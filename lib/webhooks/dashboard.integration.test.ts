import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { startWebhookReceiver } from "@/lib/testing/webhook-receiver";
import { createEndpointFor, deleteEndpointFor, rotateSecretFor, sendTestFor, setEnabledFor } from "./dashboard";
import { attemptDelivery } from "./deliver";
import { deliveryLog, failingEndpoints } from "./endpoints";

describe.each(TEST_DATABASES)("webhook management in the dashboard on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const policy = { allowLoopback: false };

  it("owners add endpoints with field errors by code; staff may not; another store's endpoint is not found", async () => {
    const owner = await seededMerchantContext(world.database, "owner@demo.test");
    const staff = await seededMerchantContext(world.database, "staff@demo.test");
    const autre = await seededMerchantContext(world.database, "owner@autre.test");
    const db = world.database.db;
    expect(await createEndpointFor(db, TEST_ENCRYPTION_KEY, policy, staff, { url: "https://shop.example.com/h", mode: "live", events: ["payment.paid"] })).toEqual({ ok: false, error: "forbidden" });
    expect(await createEndpointFor(db, TEST_ENCRYPTION_KEY, policy, owner, { url: "http://shop.example.com/h", mode: "live", events: ["payment.paid"] })).toMatchObject({ ok: false, fieldErrors: { url: "https_required" } });
    expect(await createEndpointFor(db, TEST_ENCRYPTION_KEY, policy, owner, { url: "http://localhost:3000/h", mode: "sandbox", events: ["payment.paid"] })).toMatchObject({ ok: false, fieldErrors: { url: "url_private" } });
    expect(await createEndpointFor(db, TEST_ENCRYPTION_KEY, policy, owner, { url: "", mode: "live", events: [] })).toMatchObject({ ok: false, error: "invalid_input", fieldErrors: { url: "url_required", events: "events_required" } });
    const made = await createEndpointFor(db, TEST_ENCRYPTION_KEY, policy, owner, { url: "https://shop.example.com/h", mode: "live", events: ["payment.paid", "refund.failed"], description: "Site", $ACTION_KEY: "k0" });
    // The form's own fields (React's $ACTION_… entries) ride along and are ignored.
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(made.secret).toMatch(/^whsec_/);

    for (const ctx of [staff, autre]) {
      const expected = ctx === staff ? { ok: false, error: "forbidden" } : { ok: false, error: "not_found" };
      expect(await rotateSecretFor(db, TEST_ENCRYPTION_KEY, ctx, { endpointId: made.endpointId })).toEqual(expected);
      expect(await setEnabledFor(db, ctx, { endpointId: made.endpointId, enabled: "false" })).toEqual(expected);
      expect(await sendTestFor(db, ctx, { endpointId: made.endpointId })).toEqual(expected);
    }
    const test = await sendTestFor(db, owner, { endpointId: made.endpointId });
    expect(test).toMatchObject({ ok: true });
    expect((await deliveryLog(db, owner.merchant.id, made.endpointId)).map((d) => [d.type, d.status])).toEqual([["webhook.test", "pending"]]);
    expect(await deliveryLog(db, autre.merchant.id, made.endpointId)).toEqual([]);
    expect(await setEnabledFor(db, owner, { endpointId: made.endpointId, enabled: "false" })).toEqual({ ok: true, enabled: false });
    // Disabled by a person: no notice on the overview (that is for automatic disabling).
    expect(await failingEndpoints(db, owner.merchant.id)).toEqual([]);
  });
  describe("deleting an endpoint", () => {
    // /held keeps its answer until the test lets it go: the endpoint is deleted meanwhile.
    let release: () => void = () => {};
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
    beforeAll(async () => (receiver = await startWebhookReceiver((path) => (path === "/held" ? held : 200))));
    afterAll(async () => {
      release();
      await receiver?.close();
    });

    it("owners only, their store's only; it goes with its secrets and deliveries, also while a request is out", async () => {
      const owner = await seededMerchantContext(world.database, "owner@demo.test");
      const staff = await seededMerchantContext(world.database, "staff@demo.test");
      const autre = await seededMerchantContext(world.database, "owner@autre.test");
      const db = world.database.db;
      const made = await createEndpointFor(db, TEST_ENCRYPTION_KEY, { allowLoopback: true }, owner, { url: `${receiver.url}/held`, mode: "sandbox", events: ["payment.paid"] });
      if (!made.ok) throw new Error(JSON.stringify(made));
      expect(await sendTestFor(db, owner, { endpointId: made.endpointId })).toMatchObject({ ok: true });
      const [delivery] = await db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.endpointId, made.endpointId));

      expect(await deleteEndpointFor(db, staff, { endpointId: made.endpointId })).toEqual({ ok: false, error: "forbidden" });
      expect(await deleteEndpointFor(db, autre, { endpointId: made.endpointId })).toEqual({ ok: false, error: "not_found" });
      expect(await deleteEndpointFor(db, owner, { endpointId: "we_'; drop table x" })).toEqual({ ok: false, error: "invalid_input" });

      const deps = { db, encryptionKey: TEST_ENCRYPTION_KEY, url: { allowLoopback: true }, timeoutMs: 10_000 };
      const attempt = attemptDelivery(deps, delivery!.id, 1);
      await expect.poll(() => receiver.at("/held").length).toBe(1);
      expect(await deleteEndpointFor(db, owner, { endpointId: made.endpointId })).toEqual({ ok: true });
      release();
      // Nothing left to record, and no error for the worker to retry forever.
      expect(await attempt).toBe("skipped");
      for (const table of [s.webhookSecrets, s.webhookDeliveries, s.webhookAttempts]) expect(await db.$count(table, eq(table.endpointId, made.endpointId))).toBe(0);
      expect(await db.$count(s.webhookEndpoints, eq(s.webhookEndpoints.id, made.endpointId))).toBe(0);
      expect(await deleteEndpointFor(db, owner, { endpointId: made.endpointId })).toEqual({ ok: false, error: "not_found" });
    });
  });
});
