import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { createApiKey } from "./keys";

describe.each(TEST_DATABASES)("webhook endpoints through the API on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const key = async (email: string, mode: "sandbox" | "live") => {
    const made = await createApiKey(world.database.db, await seededMerchantContext(world.database, email), { name: "hooks", mode });
    if (!made.ok) throw new Error("no key");
    return made.key;
  };
  const call = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${world.app.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; param: string | null } } };
  };

  it("creates an endpoint of the key's mode and shows its secret once; lists and reads it; another store or mode sees nothing", async () => {
    const [sandbox, live, other] = [await key("owner@demo.test", "sandbox"), await key("owner@demo.test", "live"), await key("owner@autre.test", "sandbox")];
    const created = await call(sandbox, "POST", "/webhook-endpoints", { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.paid", "refund.failed"] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "webhook_endpoint", url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.paid", "refund.failed"], livemode: false, status: "enabled" });
    expect(created.body.id).toMatch(/^we_/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const [stored] = await world.database.db.select().from(s.webhookSecrets).where(eq(s.webhookSecrets.endpointId, String(created.body.id)));
    expect(stored!.secretEncrypted).not.toContain(String(created.body.secret).slice(6));

    const got = await call(sandbox, "GET", `/webhook-endpoints/${String(created.body.id)}`);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty("secret");
    expect((await call(sandbox, "GET", "/webhook-endpoints")).body.data).toEqual([got.body]);
    expect((await call(live, "GET", "/webhook-endpoints")).body.data).toEqual([]);
    expect((await call(live, "GET", `/webhook-endpoints/${String(created.body.id)}`)).status).toBe(404);
    expect((await call(other, "GET", `/webhook-endpoints/${String(created.body.id)}`)).status).toBe(404);
    expect((await call(other, "GET", "/webhook-endpoints")).body.data).toEqual([]);
    // Nor can another mode's key or another store's delete it.
    for (const key of [live, other]) expect((await call(key, "DELETE", `/webhook-endpoints/${String(created.body.id)}`)).status).toBe(404);
    expect((await call(sandbox, "GET", `/webhook-endpoints/${String(created.body.id)}`)).status).toBe(200);
  });

  it("keeps no signing secret in the Idempotency-Key record: a replay answers the endpoint with `secret: null`", async () => {
    const sandbox = await key("owner@demo.test", "sandbox");
    const body = { url: "http://127.0.0.1:9/replayed", enabled_events: ["payment.paid"] };
    const first = await call(sandbox, "POST", "/webhook-endpoints", body, { "idempotency-key": "hook-1" });
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    const replay = await call(sandbox, "POST", "/webhook-endpoints", body, { "idempotency-key": "hook-1" });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual({ ...first.body, secret: null });
    const kept = await world.database.db.select({ body: s.apiIdempotencyKeys.responseBody }).from(s.apiIdempotencyKeys).where(eq(s.apiIdempotencyKeys.key, "hook-1"));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.body).not.toContain(String(first.body.secret).slice(6));
    expect(kept[0]!.body).not.toContain("whsec_");
  });

  it("refuses a live endpoint that is not https or points inside, and unknown events, with the error shape", async () => {
    const live = await key("owner@demo.test", "live");
    for (const [url, code] of [
      ["http://shop.example.com/hooks", "https_required"],
      ["https://127.0.0.1/hooks", "url_private"],
      ["https://169.254.169.254/latest", "url_private"],
      ["ftp://shop.example.com/", "url_invalid"],
    ] as const) {
      const res = await call(live, "POST", "/webhook-endpoints", { url, enabled_events: ["payment.paid"] });
      expect(res.status, url).toBe(422);
      expect(res.body.error).toMatchObject({ code, param: "url" });
    }
    const unknown = await call(live, "POST", "/webhook-endpoints", { url: "https://shop.example.com/hooks", enabled_events: ["payment.stolen"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.param).toContain("enabled_events");
    expect((await call(live, "POST", "/webhook-endpoints", { url: "https://shop.example.com/hooks", enabled_events: ["payment.paid"] })).status).toBe(201);
  });
});
