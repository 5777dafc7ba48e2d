import { describe, expect, it } from "vitest";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { setAccountSettings } from "../faults";
import { answerPhone, newOid, postJson, signedPush, signedSearch, startPush, useIpayWorld, vendor } from "./testing";

const autre = vendor("autre");
const PAID = "aei7p7yrx4ae34";
const FAILED = "fe2707etr5s4wq";

describe.each(TEST_DATABASES)("iPay M-Pesa STK push on $name", ({ open }) => {
  const env = useIpayWorld(open);

  const search = (oid: string) => postJson(`${env.world.base}/payments/v2/transaction/search`, signedSearch(autre, oid));

  /** Pushes to a phone of its own, so prompts of other tests never show up on it. */
  async function push(phone: string, amount = "1250.00") {
    const oid = newOid("S");
    const sid = await startPush(env.world.base, autre, oid, amount, `${env.receiver.url}/api/webhooks/ipay/autre`, phone);
    return { oid, sid };
  }

  it("shows the prompt on the phone screen, labelled and keyboard-usable, French by default", async () => {
    const { sid } = await push("254711000001");
    const html = await (await fetch(`${env.world.base}/phone/254711000001`)).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(`data-sid="${sid}"`);
    expect(html).toContain(`<label for="pin-${sid}">Code PIN M-Pesa</label>`);
    for (const id of ["ipay-phone-approve", "ipay-phone-decline", "ipay-phone-wrong-pin", "ipay-phone-insufficient", "ipay-phone-timeout"]) expect(html).toContain(`data-testid="${id}"`);
    expect(await (await fetch(`${env.world.base}/phone/0711000001?lang=en`)).text()).toContain("M-Pesa PIN");
  });

  it("shows one prompt at a time, the newest, with the others queued behind it", async () => {
    await push("254711000010");
    const { sid: newest } = await push("254711000010");
    const html = await (await fetch(`${env.world.base}/phone/254711000010`)).text();
    expect(html.match(/data-testid="ipay-push"/g)).toHaveLength(1);
    expect(html).toContain(`data-sid="${newest}"`);
    expect(html).toContain('data-testid="ipay-phone-queued">+1 ');
  });

  it("approval pays: the callback reaches cbk server to server and search shows the record", async () => {
    const { oid, sid } = await push("254711000002");
    const before = env.receiver.received.length;
    const answered = await answerPhone(env.world.base, "254711000002", sid, "approve");
    expect(answered.status).toBe(303);
    expect(answered.headers.get("location")).toContain("done=approved");
    const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
    expect(callback!.method).toBe("GET");
    expect(callback!.path).toBe("/api/webhooks/ipay/autre");
    expect(callback!.query.get("status")).toBe(PAID);
    expect(callback!.query.get("id")).toBe(oid);
    expect(callback!.query.get("mc")).toBe("1250.00");
    expect(callback!.query.get("channel")).toBe("MPESA");
    const found = await search(oid);
    expect(found.status).toBe(200);
    expect(found.json.data).toMatchObject({ transaction_amount: "1250.00", transaction_code: callback!.query.get("txncd"), telephone: "254711000002" });
    // The prompt is gone from the phone.
    expect(await (await fetch(`${env.world.base}/phone/254711000002`)).text()).toContain('data-testid="ipay-phone-empty"');
  });

  it("approval needs a 4-digit PIN", async () => {
    const { oid, sid } = await push("254711000003");
    const res = await answerPhone(env.world.base, "254711000003", sid, "approve", { pin: "12" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("PIN");
    expect((await search(oid)).status).toBe(404);
  });

  it.each([
    ["cancelled", "The request was canceled by the user", "254711000101"],
    ["wrong_pin", "Incorrect pin has been entered", "254711000102"],
    ["insufficient", "The User Wallet balance is insufficient for the transaction", "254711000103"],
    ["timed_out", "The transaction was timed out", "254711000104"],
  ])("%s: a failed callback, then search answers 400 with M-Pesa's words", async (action, message, phone) => {
    const { oid, sid } = await push(phone);
    const before = env.receiver.received.length;
    expect((await answerPhone(env.world.base, phone, sid, action)).status).toBe(303);
    const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
    expect(callback!.query.get("status")).toBe(FAILED);
    expect(callback!.query.get("txncd")).toBe("");
    expect(await search(oid)).toMatchObject({ status: 400, json: { header_status: 400, status: 0, message } });
  });

  it("an unanswered prompt times out after 60 s of simulator time", async () => {
    const { oid } = await push("254711000099");
    expect((await search(oid)).status).toBe(404);
    env.world.clock.offsetMs = 61_000;
    try {
      const before = env.receiver.received.length;
      expect(await search(oid)).toMatchObject({ status: 400, json: { message: "The transaction was timed out" } });
      const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
      expect(callback!.query.get("status")).toBe(FAILED);
      expect(await (await fetch(`${env.world.base}/phone/254711000099`)).text()).toContain('data-testid="ipay-phone-empty"');
    } finally {
      env.world.clock.offsetMs = 0;
    }
  });

  it("the prompt's lifetime follows the account's pushTimeoutSeconds setting", async () => {
    const deps = { db: env.database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin: env.world.sandbox.url };
    await setAccountSettings(deps, "ipay", autre.vid, { pushTimeoutSeconds: 5 });
    try {
      const { oid } = await push("254711000098");
      env.world.clock.offsetMs = 6_000;
      const before = env.receiver.received.length;
      expect(await search(oid)).toMatchObject({ status: 400, json: { message: "The transaction was timed out" } });
      await env.receiver.waitFor(before + 1);
    } finally {
      env.world.clock.offsetMs = 0;
      await setAccountSettings(deps, "ipay", autre.vid, {});
    }
  });

  it("a new push on the same session after a decline can still be paid", async () => {
    const phone = "254711000050";
    const { oid, sid } = await push(phone);
    const before = env.receiver.received.length;
    await answerPhone(env.world.base, phone, sid, "cancelled");
    await env.receiver.waitFor(before + 1);
    expect((await postJson(`${env.world.base}/payments/v2/transact/push/mpesa`, signedPush(autre, phone, sid))).status).toBe(200);
    expect((await search(oid)).status).toBe(404);
    await answerPhone(env.world.base, phone, sid, "approve");
    await env.receiver.waitFor(before + 2);
    expect((await search(oid)).status).toBe(200);
    // Paid: no further push.
    expect((await postJson(`${env.world.base}/payments/v2/transact/push/mpesa`, signedPush(autre, phone, sid))).status).toBe(409);
  });

  it("refuses answers for someone else's phone or an unknown prompt", async () => {
    const { sid } = await push("254711000060");
    expect((await answerPhone(env.world.base, "254711000061", sid, "approve")).status).toBe(404);
    expect((await answerPhone(env.world.base, "254711000060", "NOPE", "approve")).status).toBe(404);
    expect((await fetch(`${env.world.base}/phone/12345`)).status).toBe(404);
  });
});
