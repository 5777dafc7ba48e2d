import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES } from "@/lib/testing/databases";
import { merchantId } from "@/lib/testing/payments";
import { ORDER_ATTEMPTS_PER_WINDOW } from "./attempt-limit";
import { newId } from "@/lib/ids";
import { placeCartOrder, placeLinkOrder, retryOrder, type PlaceDeps } from "./place";

/**
 * The checkout's server side on real databases, with the simulators over HTTP: what a method
 * needs and an open link's bounds are checked before anything is written, whatever the browser
 * sent (no client-side check to lean on).
 */
describe.each(TEST_DATABASES)("placing an order on $name", ({ name, open }) => {
  const world = usePaymentsWorld(open);
  const deps = (): PlaceDeps => ({ db: world.database.db, payments: async () => world.app.deps(), t: (key) => `t:${key}` });
  const OPEN_LINK = "lnk_demoMontantLibre000001";

  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ name: "Aminata Traoré", country: "CI", phone: "0707070707", locale: "en", ...fields })) data.set(k, v);
    return data;
  };
  const written = async () => {
    const [orders] = await world.database.db.select({ n: count() }).from(s.orders);
    const [payments] = await world.database.db.select({ n: count() }).from(s.payments);
    return { orders: orders!.n, payments: payments!.n };
  };

  it("a cart asking for a sold-out product, or more units than are left, is refused at each such line: no order, no payment, no stock taken", async () => {
    const merchant = await merchantId(world.database, "demo");
    const product = async (name: string, stock: number | null) => {
      const id = newId("prd");
      await world.database.db.insert(s.products).values({ id, merchantId: merchant, sku: id, name, priceMinor: 1000, currency: "XOF", stock });
      return id;
    };
    const soldOut = await product("Boubou brodé", 0);
    const two = await product("Savon noir", 2);
    const unlimited = await product("Bissap", null);
    const withValues: PlaceDeps["t"] = (key, values) => `t:${key}${values ? `:${JSON.stringify(values)}` : ""}`;
    const cartForm = (cart: { productId: string; quantity: number }[]) => form({ merchant: "demo", option: "cinetpay.mobile_money.hosted", cart: JSON.stringify(cart) });
    const before = await written();

    const refused = await placeCartOrder({ ...deps(), t: withValues }, cartForm([{ productId: soldOut, quantity: 1 }, { productId: two, quantity: 3 }, { productId: unlimited, quantity: 5 }]));
    const soldOutMessage = `t:soldOut:${JSON.stringify({ name: "Boubou brodé" })}`;
    const twoMessage = `t:notEnoughStock:${JSON.stringify({ name: "Savon noir", left: 2 })}`;
    expect(refused).toEqual({ fieldErrors: { cart: `${soldOutMessage} ${twoMessage}` }, lineErrors: { [soldOut]: soldOutMessage, [two]: twoMessage }, values: expect.objectContaining({ name: "Aminata Traoré" }) });
    expect(await written()).toEqual(before);

    // Within what is left, the same cart is placed; placing takes no stock (only a paid order does).
    expect(await placeCartOrder(deps(), cartForm([{ productId: two, quantity: 2 }, { productId: unlimited, quantity: 5 }]))).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const [left] = await world.database.db.select({ stock: s.products.stock }).from(s.products).where(eq(s.products.id, two));
    expect(left!.stock).toBe(2);
  });

  it("a card payment without its e-mail and billing address is refused field by field, and nothing is written", async () => {
    const before = await written();
    const result = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "5000", option: "cinetpay.card.hosted", email: "" }));
    expect(result).toMatchObject({ fieldErrors: { email: "t:emailRequired", address: "t:address", city: "t:city", state: "t:state" } });
    expect(await written()).toEqual(before);
  });

  it("the billing address typed on the checkout is kept on the order and is what CinetPay's card channel receives", async () => {
    const billing = { address: "Rue des Jardins, Cocody", city: "Abidjan", state: "Lagunes", zip: "" };
    const result = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "5000", option: "cinetpay.card.hosted", email: "aminata@example.ci", ...billing }));
    expect(result).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const token = String(result).split("/payment/")[1]!.split(/[?#]/)[0]!;
    const [txn] = await world.database.db.select().from(s.sandboxTransactions).where(and(eq(s.sandboxTransactions.provider, "cinetpay"), eq(s.sandboxTransactions.token, token)));
    expect(txn!.request).toMatchObject({ channels: "CREDIT_CARD", customer_email: "aminata@example.ci", customer_address: billing.address, customer_city: "Abidjan", customer_state: "Lagunes", customer_zip_code: "00000" });
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.amountMinor, 5000));
    expect(order!.customerBilling).toEqual(billing);
  });

  it("mobile money asks for none of it, and keeps no address", async () => {
    const result = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "3005", option: "cinetpay.mobile_money.hosted", email: "", address: "ignored" }));
    expect(result).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.amountMinor, 3005));
    expect(order).toMatchObject({ customerEmail: null, customerBilling: null });
  });

  it("an open link refuses amounts outside the providers' limits by default, and outside the merchant's bounds when set, before any order", async () => {
    const before = await written();
    const low = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "10", option: "cinetpay.mobile_money.hosted" }));
    expect(low).toMatchObject({ fieldErrors: { amount: "The minimum amount is 100\u00a0F\u00a0CFA." } });
    const high = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "999 999 999 999", option: "cinetpay.mobile_money.hosted", locale: "fr" }));
    expect(high).toMatchObject({ fieldErrors: { amount: "Le montant maximum est de 1\u202f500\u202f000\u00a0F\u00a0CFA." } });

    const id = "lnk_boundedTestLink0000001";
    await world.database.db.insert(s.paymentLinks).values({ id, merchantId: await merchantId(world.database, "demo"), title: "Acompte", amountMinor: null, minAmountMinor: 1_000, maxAmountMinor: 50_000, currency: "XOF" });
    expect(await placeLinkOrder(deps(), form({ link: id, amount: "500", option: "cinetpay.mobile_money.hosted" }))).toMatchObject({ fieldErrors: { amount: "The minimum amount is 1\u202f000\u00a0F\u00a0CFA." } });
    expect(await placeLinkOrder(deps(), form({ link: id, amount: "50 005", option: "cinetpay.mobile_money.hosted" }))).toMatchObject({ fieldErrors: { amount: "The maximum amount is 50\u202f000\u00a0F\u00a0CFA." } });
    expect(await written()).toEqual(before);
    expect(await placeLinkOrder(deps(), form({ link: id, amount: "50 000", option: "cinetpay.mobile_money.hosted" }))).toMatch(/\/sandbox\/cinetpay\/payment\//);
  });

  it("a retry with a card asks for what the order lacks, keeps it on the order, then pays", async () => {
    const first = await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: "4010", option: "cinetpay.mobile_money.hosted", email: "" }));
    expect(first).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.amountMinor, 4010));
    const before = await written();

    const refused = await retryOrder(deps(), form({ order: order!.id, option: "cinetpay.card.hosted" }));
    expect(refused).toMatchObject({ fieldErrors: { email: "t:emailRequired", address: "t:address", city: "t:city", state: "t:state" } });
    expect(await written()).toEqual(before);

    const billing = { address: "Rue des Jardins, Cocody", city: "Abidjan", state: "Lagunes", zip: "01 BP 12" };
    const retried = await retryOrder(deps(), form({ order: order!.id, option: "cinetpay.card.hosted", email: "aminata@example.ci", ...billing }));
    expect(retried).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const [kept] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order!.id));
    expect(kept).toMatchObject({ customerEmail: "aminata@example.ci", customerBilling: billing });
    // A second card attempt needs nothing typed again: the order holds it now.
    expect(await retryOrder(deps(), form({ order: order!.id, option: "cinetpay.card.hosted" }))).toMatch(/\/sandbox\/cinetpay\/payment\//);
  });

  it("a payment opened by the order page (iPay's form) is named for it to open once", async () => {
    const linkId = "lnk_autreDeposit0000000001";
    const result = await placeLinkOrder(deps(), form({ link: linkId, amount: "1500", option: "ipay.mpesa.hosted", country: "KE", phone: "0722000000" }));
    const [payment] = await world.database.db.select().from(s.payments).where(eq(s.payments.provider, "ipay"));
    expect(result).toBe(`/orders/${payment!.orderId}?go=${payment!.id}`);
  });

  // Anyone holding an order's link may post its retry (or "send the prompt again") form, and each
  // post is a new payment at the provider, a new prompt on the shopper's phone: a loop of them
  // must not write payments without end nor spend the merchant's provider budget.
  const openOrder = async (amount: number) => {
    expect(await placeLinkOrder(deps(), form({ link: OPEN_LINK, amount: String(amount), option: "cinetpay.mobile_money.hosted" }))).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.amountMinor, amount));
    return order!.id;
  };
  const attempts = async (orderId: string) => world.database.db.$count(s.payments, eq(s.payments.orderId, orderId));

  it(`an order takes ${ORDER_ATTEMPTS_PER_WINDOW} new attempts in a window; the next is refused with a reason and starts nothing`, async () => {
    const orderId = await openOrder(4020);
    for (let i = 0; i < ORDER_ATTEMPTS_PER_WINDOW; i++) expect(await retryOrder(deps(), form({ order: orderId, option: "orange-money.orange_money.hosted" }))).toEqual(expect.any(String));
    expect(await attempts(orderId)).toBe(1 + ORDER_ATTEMPTS_PER_WINDOW);
    expect(await retryOrder(deps(), form({ order: orderId, option: "orange-money.orange_money.hosted" }))).toEqual({ fieldErrors: { form: "t:tooManyAttempts" }, refusal: "too_many_attempts" });
    expect(await attempts(orderId)).toBe(1 + ORDER_ATTEMPTS_PER_WINDOW);
    // Another order is not held back by this one's count.
    expect(await retryOrder(deps(), form({ order: await openOrder(4030), option: "orange-money.orange_money.hosted" }))).toEqual(expect.any(String));
  });

  it("retries posted at once on one order are counted one by one: no more start than the window allows", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const orderId = await openOrder(4040);
    const results = await Promise.all(Array.from({ length: ORDER_ATTEMPTS_PER_WINDOW + 6 }, () => retryOrder(deps(), form({ order: orderId, option: "orange-money.orange_money.hosted" }))));
    expect(results.filter((r) => typeof r === "string")).toHaveLength(ORDER_ATTEMPTS_PER_WINDOW);
    expect(await attempts(orderId)).toBe(1 + ORDER_ATTEMPTS_PER_WINDOW);
  });
});
