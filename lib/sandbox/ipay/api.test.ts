import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { answerPhone, hmacHex, newOid, postJson, signedPush, signedRefund, signedSearch, signedTransact, startIpayWorld, startPush, vendor } from "./testing";

const autre = vendor("autre");

describe.each(TEST_DATABASES)("iPay REST API conformance on $name", ({ open }) => {
  let database: Database;
  let world: Awaited<ReturnType<typeof startIpayWorld>>;
  let api: string;
  beforeAll(async () => {
    database = await open();
    world = await startIpayWorld(database);
    api = `${world.base}/payments/v2`;
  });
  afterAll(async () => {
    await world.sandbox.close();
    await database.close();
  });

  describe("POST /transact", () => {
    it("opens a session: sid, stripped oid, echoed amount, signed answer", async () => {
      const oid = `ord-${newOid()}_x`;
      const res = await postJson(`${api}/transact`, signedTransact(autre, { oid, amount: "1250.00", cbk: "https://shop.test/cb" }));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ header_status: 200, status: 1 });
      const data = res.json.data as Record<string, unknown>;
      expect(data.oid).toBe(oid.replace(/[^A-Za-z0-9]/g, ""));
      expect(data.amount).toBe("1250.00");
      expect(data.sid).toMatch(/^[A-Z0-9]{20,}AUTRE$/);
      expect(data.payment_channels).toEqual([
        { name: "MPESA", paybill: "510800" },
        { name: "AIRTEL", paybill: "510800" },
        { name: "EQUITEL", paybill: "510800" },
      ]);
      // The response hash of PROVIDERS.md §4.3, recomputed here.
      expect(data.hash).toBe(hmacHex("sha256", autre.key, `${data.account}${data.amount}${data.oid}${data.sid}MPESA510800AIRTEL510800`));
    });

    it("takes form bodies and JSON numbers alike (PHP-style printing)", async () => {
      const oid = newOid();
      const form = signedTransact(autre, { oid, amount: "10" });
      const viaForm = await fetch(`${api}/transact`, { method: "POST", body: new URLSearchParams(form) });
      expect(viaForm.status).toBe(200);
      const numeric = await postJson(`${api}/transact`, { ...signedTransact(autre, { oid: newOid(), amount: "10" }), live: 0, amount: 10 });
      expect(numeric.status).toBe(200);
    });

    it("answers the same sid when the unpaid oid is opened again", async () => {
      const oid = newOid();
      const a = await postJson(`${api}/transact`, signedTransact(autre, { oid, amount: "100.00" }));
      const b = await postJson(`${api}/transact`, signedTransact(autre, { oid, amount: "100.00" }));
      expect((b.json.data as { sid: string }).sid).toBe((a.json.data as { sid: string }).sid);
    });

    it("refuses a wrong hash, an unknown vendor, missing fields, bad amounts and currencies", async () => {
      const good = signedTransact(autre, { oid: newOid(), amount: "100.00" });
      const wrongKey = signedTransact({ ...autre, key: "not-the-key" }, { oid: newOid(), amount: "100.00" });
      expect(await postJson(`${api}/transact`, wrongKey)).toMatchObject({ status: 401, json: { header_status: 401, status: 0, message: expect.stringMatching(/hash/i) } });
      // Changing a hashed field after signing is the same as a wrong key.
      expect((await postJson(`${api}/transact`, { ...good, amount: "1.00" })).status).toBe(401);
      expect(await postJson(`${api}/transact`, { ...good, vid: "nobody" })).toMatchObject({ status: 401, json: { message: "Invalid vendor id" } });
      const unsigned = Object.fromEntries(Object.entries(good).filter(([k]) => k !== "hash"));
      expect(await postJson(`${api}/transact`, unsigned)).toMatchObject({ status: 400, json: { message: expect.stringContaining("hash") } });
      expect((await postJson(`${api}/transact`, signedTransact(autre, { oid: newOid(), amount: "1,000" }))).status).toBe(400);
      expect((await postJson(`${api}/transact`, signedTransact(autre, { oid: newOid(), amount: "100.00", curr: "XOF" }))).status).toBe(400);
    });
  });

  describe("POST /transact/push/mpesa", () => {
    it("rings the phone and lists the prompt on its screen", async () => {
      const oid = newOid();
      const opened = await postJson(`${api}/transact`, signedTransact(autre, { oid, amount: "450.00" }));
      const sid = (opened.json.data as { sid: string }).sid;
      const pushed = await postJson(`${api}/transact/push/mpesa`, signedPush(autre, "254711223344", sid));
      expect(pushed).toMatchObject({ status: 200, json: { header_status: 200, status: 1, text: expect.any(String) } });
      const screen = await (await fetch(`${world.base}/phone/0711223344`)).text();
      expect(screen).toContain(`data-sid="${sid}"`);
      expect(screen).toContain("450,00");
    });

    it("refuses a wrong hash, an unknown sid and a non-Kenyan phone", async () => {
      const opened = await postJson(`${api}/transact`, signedTransact(autre, { oid: newOid(), amount: "450.00" }));
      const sid = (opened.json.data as { sid: string }).sid;
      expect((await postJson(`${api}/transact/push/mpesa`, { ...signedPush(autre, "254711223344", sid), phone: "254711223345" })).status).toBe(401);
      expect(await postJson(`${api}/transact/push/mpesa`, signedPush(autre, "254711223344", "NOSUCHSID"))).toMatchObject({ status: 400, json: { message: "Invalid sid" } });
      expect((await postJson(`${api}/transact/push/mpesa`, signedPush(autre, "2250707070707", sid))).status).toBe(400);
    });
  });

  describe("POST /transaction/search", () => {
    it("answers 404 until paid, then the payment record", async () => {
      const oid = newOid();
      expect(await postJson(`${api}/transaction/search`, signedSearch(autre, oid))).toMatchObject({ status: 404, json: { status: 0 } });
      const sid = await startPush(world.base, autre, oid, "1250.00", "");
      expect((await postJson(`${api}/transaction/search`, signedSearch(autre, oid))).status).toBe(404);
      expect((await answerPhone(world.base, "254722000000", sid, "approve")).status).toBe(303);
      const found = await postJson(`${api}/transaction/search`, signedSearch(autre, oid));
      expect(found.status).toBe(200);
      expect(found.json.data).toMatchObject({
        oid,
        transaction_amount: "1250.00",
        transaction_code: expect.stringMatching(/^[A-Z0-9]{10}$/),
        firstname: "JOHN",
        lastname: "DOE",
        telephone: "254722000000",
        payment_mode: "MPESA",
        paid_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      });
    });

    it("finds an oid sent with punctuation by its stripped form", async () => {
      const raw = `A-${newOid()}/1`;
      const sid = await startPush(world.base, autre, raw, "100.00", "");
      await answerPhone(world.base, "254722000000", sid, "approve");
      expect((await postJson(`${api}/transaction/search`, signedSearch(autre, raw.replace(/[^A-Za-z0-9]/g, "")))).status).toBe(200);
      expect((await postJson(`${api}/transaction/search`, signedSearch(autre, raw))).status).toBe(200);
    });

    it("refuses a wrong hash and an unknown vendor", async () => {
      expect((await postJson(`${api}/transaction/search`, { ...signedSearch(autre, "X1"), oid: "X2" })).status).toBe(401);
      expect((await postJson(`${api}/transaction/search`, { ...signedSearch(autre, "X1"), vid: "nobody" })).status).toBe(401);
    });
  });

  describe("POST /transaction/refund", () => {
    async function paidCode(amount: string): Promise<string> {
      const oid = newOid();
      const sid = await startPush(world.base, autre, oid, amount, "");
      await answerPhone(world.base, "254722000000", sid, "approve");
      const found = await postJson(`${api}/transaction/search`, signedSearch(autre, oid));
      return String((found.json.data as { transaction_code: string }).transaction_code);
    }

    it("refunds part, then the rest, then nothing more", async () => {
      const code = await paidCode("1000.00");
      expect(await postJson(`${api}/transaction/refund`, signedRefund(autre, code, "400.00"))).toMatchObject({ status: 200, json: { status: 1, data: { code, amount: "400.00" } } });
      expect((await postJson(`${api}/transaction/refund`, signedRefund(autre, code, "700.00"))).status).toBe(400);
      expect(await postJson(`${api}/transaction/refund`, signedRefund(autre, code))).toMatchObject({ status: 200, json: { data: { amount: "600.00" } } });
      expect((await postJson(`${api}/transaction/refund`, signedRefund(autre, code, "1.00"))).status).toBe(400);
    });

    it("refuses a wrong hash and an unknown transaction code", async () => {
      const code = await paidCode("100.00");
      expect((await postJson(`${api}/transaction/refund`, { ...signedRefund(autre, code), code: "OTHERCODE1" })).status).toBe(401);
      expect(await postJson(`${api}/transaction/refund`, signedRefund(autre, "NOSUCHCODE"))).toMatchObject({ status: 404, json: { status: 0 } });
    });
  });

  it("answers 404 for paths iPay does not have", async () => {
    expect((await fetch(`${api}/c2b/register`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${api}/transact`)).status).toBe(404);
  });
});
