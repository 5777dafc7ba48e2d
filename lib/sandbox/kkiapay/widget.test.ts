import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { webhooksSettled } from "./notifications";
import { AUTRE_KEYS, DEMO_KEYS, SHOP_RETURN, openKkiapayWorld, type KkiapayWorld } from "./test-support";

// Written from PROVIDERS.md §3.1, independently of the simulator's own list.
const WINDOW_API = [
  "openKkiapayWidget",
  "closeKkiapayWidget",
  "addSuccessListener",
  "addFailedListener",
  "addPendingListener",
  "addPaymentAbortedListener",
  "addPaymentInitListener",
  "addPaymentEndListener",
  "addWidgetInitListener",
  "addKkiapayCloseListener",
  "addKkiapayListener",
  "removeKkiapayListener",
];

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function bodyOf(r: Received): Record<string, unknown> {
  return JSON.parse(r.body) as Record<string, unknown>;
}

describe.each(TEST_DATABASES)("KKiaPay widget simulator on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  let receiver: Receiver;
  beforeAll(async () => {
    database = await open();
    world = await openKkiapayWorld(database);
  });
  afterAll(async () => {
    await webhooksSettled();
    await receiver.close();
    await world.close();
    await database.close();
  });
  beforeEach(async () => {
    await webhooksSettled();
    await receiver?.close();
    receiver = await startReceiver();
    await world.setWebhookUrl(`${receiver.url}/hooks/kkiapay`);
    await world.setFaults({});
  });

  describe("k.js", () => {
    it("is served as JavaScript and defines the real widget's window API", async () => {
      const res = await fetch(`${world.base}/k.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/javascript/);
      const source = await res.text();
      expect(source.length).toBeLessThan(12_000);

      // Run it against a bare window: every global exists, listeners are single-slot, and the
      // message listener accepts {name, data} from anyone.
      let onMessage: ((e: { data: unknown }) => void) | undefined;
      const win: Record<string, unknown> = {
        addEventListener: (type: string, fn: (e: { data: unknown }) => void) => {
          if (type === "message") onMessage = fn;
        },
        location: { href: "" },
      };
      runInNewContext(source, { window: win, document: { currentScript: null, documentElement: { lang: "fr" } }, setTimeout });
      for (const name of WINDOW_API) expect(typeof win[name], name).toBe("function");

      const calls: string[] = [];
      const fn = (name: string) => win[name] as (...args: unknown[]) => void;
      fn("addSuccessListener")(() => calls.push("first"));
      fn("addSuccessListener")((d: { transactionId: string }) => calls.push(`second:${d.transactionId}`));
      fn("addKkiapayListener")("failed", (d: { transactionId: string }) => calls.push(`failed:${d.transactionId}`));
      onMessage!({ data: { name: "PAYMENT_SUCCESS", data: { transactionId: "T1" } } });
      onMessage!({ data: { name: "PAYMENT_FAILED", data: { transactionId: "T2" } } });
      fn("removeKkiapayListener")("failed");
      onMessage!({ data: { name: "PAYMENT_FAILED", data: { transactionId: "T3" } } });
      onMessage!({ data: "not an event" });
      expect(calls).toEqual(["second:T1", "failed:T2"]);
    });
  });

  describe("widget page", () => {
    const config = (extra: Record<string, unknown> = {}) => encodeURIComponent(JSON.stringify({ amount: 15000, key: DEMO_KEYS.publicKey, sandbox: true, reason: "Pagne wax", phone: "0707070707", ...extra }));

    it("renders in French by default with the outcome choices, test ids and the advanced panel", async () => {
      const res = await fetch(`${world.base}/widget?config=${config()}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain("<title>Boutique Démo — Paiement · KKiaPay (sandbox)</title>");
      expect(html).toMatch(/15\s000 FCFA/);
      for (const id of ["kkiapay-operator-mtn", "kkiapay-operator-moov", "kkiapay-operator-orange", "kkiapay-operator-wave", "kkiapay-operator-celtiis", "kkiapay-operator-card", "kkiapay-outcome-success", "kkiapay-outcome-failed", "kkiapay-outcome-pending", "kkiapay-failure-code", "kkiapay-pay", "kkiapay-abort", "kkiapay-phone"]) {
        expect(html).toContain(`data-testid="${id}"`);
      }
      expect(html).toContain('<label for="kk-phone">Numéro de téléphone</label>');
      expect(html).toContain('value="0707070707"');
      expect(html).toContain("<details");
      expect(html).toContain('name="fault_duplicateNotification"');
      expect(html).toContain("WIDGET_SUCCESSFULLY_INIT");
    });

    it("speaks English when asked by ?lang=en or by the config", async () => {
      const byQuery = await (await fetch(`${world.base}/widget?lang=en&config=${config()}`)).text();
      expect(byQuery).toContain('<html lang="en">');
      expect(byQuery).toContain("Phone number");
      const byConfig = await (await fetch(`${world.base}/widget?config=${config({ lang: "en" })}`)).text();
      expect(byConfig).toContain("Payment method");
    });

    it("refuses an unknown key, a live call with a sandbox key and a bad amount", async () => {
      const unknown = await fetch(`${world.base}/widget?config=${config({ key: "pk_live_unknown" })}`);
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain("Clé API inconnue");
      const live = await fetch(`${world.base}/widget?config=${config({ sandbox: false })}`);
      expect(await live.text()).toContain("sandbox: true");
      const zero = await fetch(`${world.base}/widget?lang=en&config=${config({ amount: 0 })}`);
      expect(await zero.text()).toContain("Invalid amount");
      const garbage = await fetch(`${world.base}/widget?config=%7Bnot-json`);
      expect(garbage.status).toBe(400);
    });

    it("offers what the config's paymentMethods and providers allow, and asks nothing when one operator is left", async () => {
      const operatorIds = (html: string) => [...html.matchAll(/data-testid="kkiapay-operator-(\w+)"/g)].map((m) => m[1]);
      // The operator chosen at the merchant's checkout: shown, not asked again.
      const chosen = await (await fetch(`${world.base}/widget?config=${config({ paymentMethods: ["momo"], providers: { accept: ["mtn"] }, countries: ["BJ"] })}`)).text();
      expect(operatorIds(chosen)).toEqual(["fixed"]);
      expect(chosen).toContain('<input type="hidden" name="operator" value="mtn">');
      expect(chosen).toContain("MTN Mobile Money");
      expect(chosen).toContain('data-testid="kkiapay-phone"');
      // momo keeps every mobile operator and drops the card; card keeps the card alone.
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ paymentMethods: ["momo"] })}`)).text())).toEqual(["mtn", "moov", "orange", "wave", "celtiis"]);
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ paymentmethod: ["card"] })}`)).text())).toEqual(["fixed"]);
      // A value outside momo|card|direct_debit resets to all; exclude drops; a filter leaving nothing is ignored.
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ paymentMethods: ["bitcoin"] })}`)).text())).toEqual(["mtn", "moov", "orange", "wave", "celtiis", "card"]);
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ providers: { exclude: ["visa", "mastercard", "wave"] } })}`)).text())).toEqual(["mtn", "moov", "orange", "celtiis"]);
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ paymentMethods: ["card"], providers: { accept: ["mtn"] } })}`)).text())).toEqual(["fixed"]);
      // A wrong type is read as absent, as the widget must still open.
      expect(operatorIds(await (await fetch(`${world.base}/widget?config=${config({ providers: "mtn" })}`)).text())).toHaveLength(6);
    });

    it("refuses to pay with an operator the config does not offer, and pays with the one it does", async () => {
      const config = { amount: 900, key: DEMO_KEYS.publicKey, sandbox: true, data: "CSWIDGETOFFER01", paymentMethods: ["momo"], providers: { accept: ["moov"] } };
      const other = await world.pay({ config, operator: "mtn" });
      expect(other.status).toBe(400);
      expect(other.html).toContain("pas proposé");
      const paid = await world.pay({ config, operator: "moov" });
      expect(paid.status).toBe(200);
      expect((await world.api("status", paid.transactionId)).json).toMatchObject({ source_common_name: expect.stringMatching(/^moov/i) });
      await receiver.waitFor(1);
    });

    it("accepts the real widget's key aliases and the theme colour", async () => {
      const res = await fetch(`${world.base}/widget?config=${config({ key: undefined, api_key: DEMO_KEYS.publicKey, theme: "#ff0000" })}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("background:#ff0000");
    });
  });

  describe("payment flows", () => {
    it("success: posts PAYMENT_SUCCESS, redirects to the callback and sends the success webhook", async () => {
      const paid = await world.pay({ amount: 5000, data: "CSWIDGET00000001" });
      expect(paid.status).toBe(200);
      expect(paid.transactionId).toMatch(/^[0-9A-Za-z]{9}$/);
      expect(paid.events).toEqual([
        { name: "PAYMENT_SUCCESS", data: { transactionId: paid.transactionId, data: "CSWIDGET00000001", partnerId: "" } },
        { name: "PAYMENT_END", data: { transactionId: paid.transactionId } },
      ]);
      expect(paid.redirect).toBe(`${SHOP_RETURN}&transaction_id=${paid.transactionId}`);
      expect(paid.html).toContain('data-testid="kkiapay-continue"');

      const [hook] = await receiver.waitFor(1);
      expect(hook!.method).toBe("POST");
      expect(hook!.path).toBe("/hooks/kkiapay");
      expect(hook!.headers.get("content-type")).toBe("application/json");
      expect(hook!.headers.get("x-kkiapay-secret")).toBe(DEMO_KEYS.secretKey);
      expect(bodyOf(hook!)).toMatchObject({
        transactionId: paid.transactionId,
        isPaymentSucces: true,
        event: "transaction.success",
        account: "0707070707",
        label: "Pagne wax",
        method: "MOBILE_MONEY",
        amount: 5000,
        fees: 95,
        partnerId: "",
        stateData: "CSWIDGET00000001",
      });
      expect(bodyOf(hook!)).not.toHaveProperty("failureCode");

      const txn = await world.controlGet("transactions/CSWIDGET00000001");
      expect(txn.json).toMatchObject({ status: "SUCCESS", token: paid.transactionId, amountMinor: 5000, currency: "XOF" });
    });

    it("failure: posts PAYMENT_FAILED and sends transaction.failed with the code", async () => {
      const failed = await world.pay({ outcome: "failed", failureCode: "wrong_pin", data: "CSWIDGET00000002", lang: "en" });
      expect(failed.events[0]).toEqual({ name: "PAYMENT_FAILED", data: { transactionId: failed.transactionId, data: "CSWIDGET00000002", partnerId: "" } });
      expect(failed.redirect).toBeNull();
      expect(failed.html).toContain("Wrong PIN");
      const [hook] = await receiver.waitFor(1);
      expect(bodyOf(hook!)).toMatchObject({ transactionId: failed.transactionId, isPaymentSucces: false, event: "transaction.failed", failureCode: "wrong_pin", failureMessage: "Wrong PIN" });
    });

    it("pending then success: no webhook while pending, one after the shopper approves", async () => {
      const pending = await world.pay({ outcome: "pending", data: "CSWIDGET00000003" });
      expect(pending.events.map((e) => e.name)).toEqual(["PAYMENT_INIT", "PENDING_PAYMENT"]);
      expect(pending.html).toContain('data-testid="kkiapay-confirm-success"');
      expect(pending.redirect).toBeNull();
      expect((await world.api("status", pending.transactionId)).json.status).toBe("PENDING");
      expect((await world.controlGet("deliveries?reference=CSWIDGET00000003")).json).toEqual([]);

      const done = await world.confirm(pending.transactionId, "success");
      expect(done.status).toBe(200);
      expect(done.events[0]).toEqual({ name: "PAYMENT_SUCCESS", data: { transactionId: pending.transactionId, data: "CSWIDGET00000003", partnerId: "" } });
      expect(done.redirect).toBe(`${SHOP_RETURN}&transaction_id=${pending.transactionId}`);
      const [hook] = await receiver.waitFor(1);
      expect(bodyOf(hook!)).toMatchObject({ transactionId: pending.transactionId, event: "transaction.success" });
      expect((await world.api("status", pending.transactionId)).json.status).toBe("SUCCESS");

      const twice = await world.confirm(pending.transactionId, "failed");
      expect(twice.status).toBe(409);
    });

    it("pending then declined on the phone: transaction.failed", async () => {
      const pending = await world.pay({ outcome: "pending", data: "CSWIDGET00000004" });
      const done = await world.confirm(pending.transactionId, "failed", "insufficient_fund");
      expect(done.events[0]!.name).toBe("PAYMENT_FAILED");
      const [hook] = await receiver.waitFor(1);
      expect(bodyOf(hook!)).toMatchObject({ event: "transaction.failed", failureCode: "insufficient_fund" });
    });

    it("abort: PAYMENT_ABORTED then CLOSE_WIDGET, no transaction and no webhook", async () => {
      const aborted = await world.pay({ action: "abort", data: "CSWIDGET00000005" });
      expect(aborted.events).toEqual([
        { name: "PAYMENT_ABORTED", data: { transactionId: "", data: "CSWIDGET00000005", partnerId: "" } },
        { name: "CLOSE_WIDGET", data: {} },
      ]);
      expect((await world.controlGet("transactions/CSWIDGET00000005")).status).toBe(404);
      // A later payment's webhook arrives alone: the abort sent nothing.
      await world.pay({ data: "CSWIDGET00000006" });
      await receiver.waitFor(1);
      expect(receiver.received.map((r) => bodyOf(r).stateData)).toEqual(["CSWIDGET00000006"]);
    });

    it("asks for the phone number for mobile money, echoes object data and partnerId", async () => {
      const noPhone = await world.pay({ phone: "", data: "CSWIDGET00000007" });
      expect(noPhone.status).toBe(400);
      expect(noPhone.html).toContain("Saisissez le numéro");

      const config = { amount: 700, key: DEMO_KEYS.publicKey, sandbox: "true", data: { orderId: "ORD-1" }, partnerid: "P-42", fullname: "Koffi Yao" };
      const paid = await world.pay({ config });
      expect(paid.events[0]!.data).toEqual({ transactionId: paid.transactionId, data: { orderId: "ORD-1" }, partnerId: "P-42" });
      const [hook] = await receiver.waitFor(1);
      expect(bodyOf(hook!)).toMatchObject({ stateData: { orderId: "ORD-1" }, partnerId: "P-42", amount: 700 });
      expect((await world.api("status", paid.transactionId)).json).toMatchObject({ state: { orderId: "ORD-1" }, partnerId: "P-42", client: { fullname: "Koffi Yao" } });
    });

    it("posts to Caisse's own route for the merchant when the dashboard has no URL", async () => {
      // A second simulator over the same database whose app (APP_URL) is the receiver, so the
      // default URL lands there; autre's account has no webhook URL set in this file.
      const other = await openKkiapayWorld(database, { appOrigin: receiver.url });
      try {
        const paid = await other.pay({ keys: AUTRE_KEYS, data: "CSDEFAULT0000001" });
        const [hook] = await receiver.waitFor(1);
        expect(hook!.path).toBe("/api/webhooks/kkiapay/autre");
        expect(hook!.headers.get("x-kkiapay-secret")).toBe(AUTRE_KEYS.secretKey);
        expect(bodyOf(hook!).transactionId).toBe(paid.transactionId);
      } finally {
        await webhooksSettled();
        await other.close();
      }
    });

    it("lets a shopper retry with the same data after a failure", async () => {
      const first = await world.pay({ outcome: "failed", data: "CSWIDGET00000008" });
      const second = await world.pay({ data: "CSWIDGET00000008" });
      expect(second.transactionId).not.toBe(first.transactionId);
      await receiver.waitFor(2);
      expect((await world.api("status", second.transactionId)).json).toMatchObject({ status: "SUCCESS", state: "CSWIDGET00000008" });
    });
  });

  describe("faults", () => {
    it("duplicate (per payment): the same webhook twice", async () => {
      const paid = await world.pay({ data: "CSFAULT000000001", faults: { fault_duplicateNotification: "1" } });
      const hooks = await receiver.waitFor(2);
      expect(hooks.map((h) => bodyOf(h).transactionId)).toEqual([paid.transactionId, paid.transactionId]);
      expect(hooks[0]!.body).toBe(hooks[1]!.body);
    });

    it("duplicate (per account, through the control API)", async () => {
      await world.setFaults({ duplicateNotification: true });
      await world.pay({ data: "CSFAULT000000002" });
      expect(await receiver.waitFor(2)).toHaveLength(2);
    });

    it("delay: the webhook leaves late", async () => {
      const started = performance.now();
      await world.pay({ data: "CSFAULT000000003", faults: { fault_notificationDelaySeconds: "1" } });
      await receiver.waitFor(1, 5000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it("drop: the webhook is recorded as dropped and never sent", async () => {
      await world.pay({ data: "CSFAULT000000004", faults: { fault_dropNotification: "1" } });
      await world.pay({ data: "CSFAULT000000005" });
      await receiver.waitFor(1);
      expect(receiver.received.map((r) => bodyOf(r).stateData)).toEqual(["CSFAULT000000005"]);
      const deliveries = (await world.controlGet("deliveries?reference=CSFAULT000000004")).json as { error: string | null; responseStatus: number | null }[];
      expect(deliveries).toEqual([expect.objectContaining({ error: "dropped (fault)", responseStatus: null })]);
    });

    it("out of order: KKiaPay sends a single webhook per transaction, so it arrives unchanged", async () => {
      const paid = await world.pay({ data: "CSFAULT000000006", faults: { fault_outOfOrder: "1" } });
      const [hook] = await receiver.waitFor(1);
      expect(bodyOf(hook!)).toMatchObject({ transactionId: paid.transactionId, event: "transaction.success" });
    });

    it("tamperAmount: a wrong amount under the right secret, while the status API tells the truth", async () => {
      const paid = await world.pay({ amount: 8000, data: "CSFAULT000000007", faults: { fault_tamperAmount: "1" } });
      const [hook] = await receiver.waitFor(1);
      expect(hook!.headers.get("x-kkiapay-secret")).toBe(DEMO_KEYS.secretKey);
      expect(bodyOf(hook!).amount).not.toBe(8000);
      expect((await world.api("status", paid.transactionId)).json.amount).toBe(8000);
    });

    it("init 5xx and timeout: the widget cannot start a payment", async () => {
      const config = encodeURIComponent(JSON.stringify({ amount: 100, key: AUTRE_KEYS.publicKey, sandbox: true }));
      await world.setFaults({ init: "5xx" }, AUTRE_KEYS);
      try {
        expect((await fetch(`${world.base}/widget?config=${config}`)).status).toBe(503);
        const pay = await world.pay({ keys: AUTRE_KEYS, data: "CSFAULT000000008" });
        expect(pay.status).toBe(503);
        expect((await world.controlGet("transactions/CSFAULT000000008", AUTRE_KEYS)).status).toBe(404);
        await world.setFaults({ init: "timeout" }, AUTRE_KEYS);
        await expect(fetch(`${world.base}/widget?config=${config}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
      } finally {
        await world.setFaults({}, AUTRE_KEYS);
      }
    });
  });
});
