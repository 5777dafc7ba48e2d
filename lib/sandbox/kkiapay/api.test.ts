import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { withClockStopped } from "@/lib/testing/sandbox-host";
import { webhooksSettled } from "./notifications";
import { AUTRE_KEYS, DEMO_KEYS, openKkiapayWorld, type KkiapayWorld } from "./test-support";

describe.each(TEST_DATABASES)("KKiaPay server API simulator on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    database = await open();
    world = await openKkiapayWorld(database);
    // Webhooks are not under test here; a receiver absorbs them so nothing retries in the background.
    receiver = await startReceiver();
    await world.setWebhookUrl(receiver.url);
    await world.setWebhookUrl(receiver.url, AUTRE_KEYS);
  });
  afterAll(async () => {
    await webhooksSettled();
    await world.close();
    await receiver.close();
    await database.close();
  });

  it("answers the verify object of a successful mobile-money payment", async () => {
    const paid = await world.pay({ amount: 10000, data: "CSAPI0000000001", phone: "0707070707" });
    expect(paid.status).toBe(200);
    const { status, json } = await world.api("status", paid.transactionId);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      type: "DEBIT",
      status: "SUCCESS",
      source: "MOBILE_MONEY",
      source_common_name: "mtn-ci",
      country: "CI",
      amount: 10000,
      fees: 190,
      net: 9810,
      reason: "Pagne wax",
      failureCode: null,
      failureMessage: null,
      state: "CSAPI0000000001",
      partnerId: "",
      transactionId: paid.transactionId,
      client: { fullname: "Aminata Traoré", phone: "0707070707", email: "aminata@example.ci" },
    });
    expect(typeof json.received_at).toBe("number");
    expect(new Date(String(json.performed_at)).getTime()).not.toBeNaN();
    expect(String(json.externalTransactionId)).toMatch(/^MP\d{10}\.\d{5}$/);
  });

  it("reports failures with their code and message, and no fees", async () => {
    const failed = await world.pay({ outcome: "failed", failureCode: "wrong_pin", data: "CSAPI0000000002" });
    const { json } = await world.api("status", failed.transactionId);
    expect(json).toMatchObject({ status: "FAILED", failureCode: "wrong_pin", failureMessage: "Code secret incorrect", fees: 0, net: 0 });
  });

  it("answers TRANSACTION_NOT_FOUND for an unknown id and INVALID_TRANSACTION for another account's", async () => {
    const unknown = await world.api("status", "NOPE12345");
    expect(unknown).toEqual({ status: 404, json: { status: "TRANSACTION_NOT_FOUND", message: "Transaction not found", transactionId: "NOPE12345" } });

    const theirs = await world.pay({ keys: AUTRE_KEYS, data: "CSAPI0000000003" });
    expect(theirs.transactionId).not.toBe("");
    const asDemo = await world.api("status", theirs.transactionId);
    expect(asDemo.status).toBe(403);
    expect(asDemo.json.status).toBe("INVALID_TRANSACTION");
    const asAutre = await world.api("status", theirs.transactionId, { "x-api-key": AUTRE_KEYS.publicKey, "x-private-key": AUTRE_KEYS.privateKey, "x-secret-key": AUTRE_KEYS.secretKey });
    expect(asAutre.status).toBe(200);
  });

  it("refuses wrong, missing or mixed keys with a 401 UNAUTHORIZED", async () => {
    const paid = await world.pay({ data: "CSAPI0000000004" });
    const unauthorized = { status: 401, json: { status: "UNAUTHORIZED", message: "Invalid or missing API keys" } };
    expect(await world.api("status", paid.transactionId, { "x-private-key": "sbx_kk_demo_private_WRONG" })).toEqual(unauthorized);
    expect(await world.api("status", paid.transactionId, { "x-secret-key": "nope" })).toEqual(unauthorized);
    expect(await world.api("status", paid.transactionId, { "x-private-key": null })).toEqual(unauthorized);
    expect(await world.api("status", paid.transactionId, { "x-api-key": "unknown_public" })).toEqual(unauthorized);
    expect(await world.api("revert", paid.transactionId, { "x-private-key": AUTRE_KEYS.privateKey })).toEqual(unauthorized);
    // Integrations that omit x-api-key still authenticate with the private key.
    expect((await world.api("status", paid.transactionId, { "x-api-key": null })).status).toBe(200);
  });

  it("rejects a GET and a body without transactionId", async () => {
    const get = await fetch(`${world.base}/api/v1/transactions/status`, { headers: { "x-private-key": DEMO_KEYS.privateKey } });
    expect(get.status).toBe(405);
    const res = await fetch(`${world.base}/api/v1/transactions/status`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-private-key": DEMO_KEYS.privateKey },
      body: JSON.stringify({ id: "x" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: "INVALID_REQUEST" });
  });

  it("reverts a successful mobile-money payment once, keeping the fees", async () => {
    const paid = await world.pay({ amount: 2000, data: "CSAPI0000000005" });
    const revert = await world.api("revert", paid.transactionId);
    expect(revert).toEqual({ status: 200, json: { code: "SUCCESS", description: "REVERTED", transactionId: paid.transactionId } });
    const after = await world.api("status", paid.transactionId);
    expect(after.json).toMatchObject({ status: "REVERTED", amount: 2000, fees: 38 });
    const again = await world.api("revert", paid.transactionId);
    expect(again.status).toBe(400);
    expect(again.json.status).toBe("TRANSACTION_NOT_ELIGIBLE");
  });

  it("does not revert failed, pending or card payments", async () => {
    const failed = await world.pay({ outcome: "failed", data: "CSAPI0000000006" });
    const pending = await world.pay({ outcome: "pending", data: "CSAPI0000000007" });
    const card = await world.pay({ operator: "card", phone: "", data: "CSAPI0000000008" });
    expect((await world.api("status", card.transactionId)).json).toMatchObject({ status: "SUCCESS", source: "CARD", fees: 175 });
    for (const t of [failed, pending, card]) {
      const r = await world.api("revert", t.transactionId);
      expect(r.status).toBe(400);
      expect(r.json.status).toBe("TRANSACTION_NOT_ELIGIBLE");
    }
    expect((await world.api("status", pending.transactionId)).json.status).toBe("PENDING");
  });

  it("applies the status API faults: account 5xx, per-payment timeout", async () => {
    const paid = await world.pay({ data: "CSAPI0000000009" });
    await world.setFaults({ statusApi: "5xx" });
    try {
      const down = await world.api("status", paid.transactionId);
      expect(down.status).toBe(503);
      // The revert endpoint is not the status API.
      expect((await world.api("revert", paid.transactionId)).status).toBe(200);
    } finally {
      await world.setFaults({});
    }
    const slow = await world.pay({ data: "CSAPI0000000010", faults: { fault_statusApi: "timeout" } });
    const started = performance.now();
    await expect(world.api("status", slow.transactionId, {}, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    expect(performance.now() - started).toBeLessThan(5000);
    // The fault belongs to that payment only.
    expect((await world.api("status", paid.transactionId)).status).toBe(200);
  });

  it("statusAnswerOmits amount: the verify object comes without its amount (it never has a currency)", async () => {
    const paid = await world.pay({ amount: 10000, data: "CSAPI0000000021" });
    await world.setFaults({ statusAnswerOmits: "amount" });
    try {
      const { status, json } = await world.api("status", paid.transactionId);
      expect(status).toBe(200);
      expect(json).toMatchObject({ status: "SUCCESS", transactionId: paid.transactionId });
      expect(json).not.toHaveProperty("amount");
    } finally {
      await world.setFaults({});
    }
    expect((await world.api("status", paid.transactionId)).json).toMatchObject({ amount: 10000 });
  });

  it("rate-limits the account with KKiaPay's 429", async () => {
    const paid = await world.pay({ keys: AUTRE_KEYS, data: "CSAPI0000000011" });
    const autre = { "x-api-key": AUTRE_KEYS.publicKey, "x-private-key": AUTRE_KEYS.privateKey, "x-secret-key": AUTRE_KEYS.secretKey };
    await world.setFaults({ rateLimitPerMinute: 2 }, AUTRE_KEYS);
    try {
      await withClockStopped(world.sandbox.clock, async () => {
        expect((await world.api("status", paid.transactionId, autre)).status).toBe(200);
        expect((await world.api("status", paid.transactionId, autre)).status).toBe(200);
        const limited = await world.api("status", paid.transactionId, autre);
        expect(limited).toEqual({ status: 429, json: { status: "TOO_MANY_REQUESTS", message: "Too many requests, retry later" } });
        expect((await world.api("revert", paid.transactionId, autre)).status).toBe(429);
        // Another account is not affected.
        expect((await world.api("status", "NOPE12345")).status).toBe(404);
      });
    } finally {
      await world.setFaults({}, AUTRE_KEYS);
    }
  });
});
