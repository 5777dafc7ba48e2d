import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { createTranslator } from "next-intl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { formFields } from "@/app/(dashboard)/dashboard/_components/form-state";
import type { MerchantContext } from "@/lib/auth/membership";
import { acceptInvitation } from "@/lib/auth/invitations";
import { signUp } from "@/lib/auth/signup";
import { placeCartOrder, placeLinkOrder, placeSessionOrder, retryOrder, type PlaceDeps } from "@/lib/checkout/place";
import { createCheckoutSession } from "@/lib/checkout-sessions/create";
import { createLink, setLinkActive } from "@/lib/dashboard/links";
import { recheckPayment, refundOrderPayment, type ActionResult } from "@/lib/dashboard/payment-actions";
import { replayNotification } from "@/lib/dashboard/queues";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from "@/lib/dashboard/team";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { loadMessages } from "@/lib/i18n/messages";
import { resolveException } from "@/lib/payments/exception-actions";
import { readUpload } from "@/lib/products/image";
import { createProduct, moveProduct, setProductArchived, updateProduct } from "@/lib/products/manage";
import { createStore } from "@/lib/stores/create";
import { startAppHost } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { FUZZ_RUNS, FUZZ_SEED, hugeNumber, idOr, nasty, reportCases } from "@/lib/testing/hostile";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { merchantRows, outsideTheDeliveryLog } from "@/lib/testing/row-snapshot";

/**
 * Issue 13, Must-show, for the server actions: the very functions each action runs on its
 * FormData (lib/checkout/place.ts for the shopper's forms; for the dashboard's, the lib function
 * each action calls with formFields(form) once requireMerchant has let it through), given hostile
 * forms: control characters and NUL in ids, other merchants' ids, huge numbers, fields named
 * twice or not at all. An action that throws is a 500 page; none may. A shopper's form refused
 * writes nothing, and a merchant's session never changes another merchant's rows.
 * Without a session the dashboard actions never reach these functions: requireMerchant() comes
 * first in each (lib/auth/permissions.test.ts reads it from their source).
 */

type Form = [string, string][];

const PNG = new Uint8Array(readFileSync(path.join(process.cwd(), "e2e/support/product.png")));

/** The form's "image" text as the file a browser would post: "png" is a real PNG, anything else those bytes. */
function withImage(form: FormData): FormData {
  const value = form.get("image");
  if (typeof value === "string") form.set("image", new Blob([value === "png" ? PNG : new TextEncoder().encode(value)]));
  return form;
}

/** A FormData as a browser (or a forger) posts it: any names, any values, some names twice. */
function formData(pairs: Form): FormData {
  const form = new FormData();
  for (const [k, v] of pairs) form.append(k, v);
  return form;
}

const plausible = {
  name: ["Awa Koné", "A"], email: ["", "awa@example.test", "not-an-email"], country: ["CI", "KE", "ci", "ZZ"],
  phone: ["0707070707", "+2250707070707", "0722000000", "12"], option: ["cinetpay.mobile_money.hosted", "orange-money.orange_money.hosted", "kkiapay.mtn.push", "ipay.mpesa.push", "x.y.hosted"],
  amount: ["1500", "0", "-5", "1e308", "15.5", "9".repeat(30)], locale: ["fr", "en", "de"], active: ["true", "false"], role: ["owner", "staff", "admin"],
  confirm: ["yes", "no"], action: ["resolve", "refund", "manual_refund", "x"], provider: ["cinetpay", "orange-money", "kkiapay", "ipay", "paypal"],
  mode: ["sandbox", "live"], title: ["Lien", ""], note: ["checked"], reason: ["client"], feeRate: ["1,5", "1e308", "-1"], feeFixed: ["0", "9".repeat(30)],
  settlementDelayDays: ["2", "99999999999"], password: ["a-long-password-1", ""], enabled: ["on"], live_forget: ["on"],
  slug: ["", "chez-awa", "demo", "dashboard", "-x-"], currency: ["", "XOF", "KES", "USD", "EUR"], timeZone: ["", "Africa/Abidjan", "Africa/Nairobi", "Mars/Olympus"],
  price: ["5 000", "1,250.00", "1 002", "50", "abc"], stock: ["", "0", "3", "-1", "1e3"], direction: ["up", "down", "left"], archived: ["true", "false"], image: ["png", "", "GIF89a"],
  sandbox_cred_siteId: ["445160", "445161", "445999"], sandbox_cred_apiKey: ["sbx_cp_demo_apikey_6f1c2a9e"], sandbox_cred_secretKey: ["s3cret"], live_cred_vendorId: ["autrekes"],
};

describe.each(TEST_DATABASES)("hostile forms at the server actions, on $name", ({ open }) => {
  const world = {} as {
    database: Database;
    app: Awaited<ReturnType<typeof startAppHost>>;
    submit: PlaceDeps;
    owner: MerchantContext;
    staff: MerchantContext;
    demoId: string;
    autreId: string;
    ids: string[];
    tokens: string[];
  };
  beforeAll(async () => {
    world.database = await open();
    await seedDemo(world.database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 4 });
    world.app = await startAppHost(world.database);
    const messages = await loadMessages("en");
    const t = createTranslator({ locale: "en", messages: messages as never, namespace: "checkout.errors" as never }) as unknown as (key: string) => string;
    world.submit = { db: world.database.db, payments: async () => world.app.deps(), t };
    world.owner = await seededMerchantContext(world.database, "owner@demo.test");
    world.staff = await seededMerchantContext(world.database, "staff@demo.test");
    const other = await seededMerchantContext(world.database, "owner@autre.test");
    world.demoId = world.owner.merchant.id;
    world.autreId = other.merchant.id;
    // A pending invitation on each side, so that their ids and a real token are in play.
    const invited = await Promise.all([inviteMember(world.database.db, world.owner, { email: "new@demo.test", role: "staff" }), inviteMember(world.database.db, other, { email: "new@autre.test", role: "staff" })]);
    world.tokens = invited.flatMap((r) => (r.ok ? [r.token] : []));
    // An API checkout session on each side, so that their ids are in play on the session's form.
    for (const [ctx, currency, amount] of [[world.owner, "XOF", 2_500], [other, "KES", 150_000]] as const) {
      const key = await createApiKey(world.database.db, ctx, { name: "fuzz", mode: "sandbox" });
      if (!key.ok) throw new Error(key.error);
      const urls = { success_url: "https://shop.example/ok", cancel_url: "https://shop.example/back" };
      await createCheckoutSession(world.database.db, { keyId: key.keyId, merchantId: ctx.merchant.id, mode: "sandbox" }, { amount, currency, ...urls, customer: {}, metadata: {} }, new Date());
    }
    const db = world.database.db;
    const [orders, payments, links, products, notifications, members, invitations, merchants, sessions] = await Promise.all([
      db.select({ id: s.orders.id }).from(s.orders),
      db.select({ id: s.payments.id, ref: s.payments.reference }).from(s.payments),
      db.select({ id: s.paymentLinks.id }).from(s.paymentLinks),
      db.select({ id: s.products.id }).from(s.products),
      db.select({ id: s.notifications.id }).from(s.notifications),
      db.select({ id: s.members.id }).from(s.members),
      db.select({ id: s.invitations.id }).from(s.invitations),
      db.select({ slug: s.merchants.slug }).from(s.merchants),
      db.select({ id: s.checkoutSessions.id }).from(s.checkoutSessions),
    ]);
    world.ids = [...orders, ...payments, ...links, ...products, ...notifications, ...members, ...invitations, ...sessions].map((r) => r.id).concat(payments.map((p) => p.ref), merchants.map((m) => m.slug));
  });
  afterAll(async () => {
    await world.app?.close();
    await world.database?.close();
  });

  /** Forms over `names`: each field a plausible value, a real id of either merchant, or something hostile; some twice, some missing. */
  function forms(names: string[]): fc.Arbitrary<Form> {
    const value = (name: string) =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(...((plausible as Record<string, string[]>)[name] ?? ["x"])) },
        { weight: 2, arbitrary: idOr(world.ids) },
        { weight: 1, arbitrary: hugeNumber.map(String) },
        { weight: 2, arbitrary: nasty },
      );
    const cart = fc
      .array(fc.record({ productId: idOr(world.ids), quantity: fc.oneof(fc.integer({ min: -2, max: 120 }), hugeNumber) }), { maxLength: 3 })
      .map((lines) => JSON.stringify(lines))
      .chain((json) => fc.constantFrom(json, "[", "null", '{"productId":1}'));
    const field = (name: string) => (name === "cart" ? cart : value(name)).map((v) => [name, v] as [string, string]);
    const each = names.map((name) => fc.oneof({ weight: 6, arbitrary: field(name).map((p) => [p]) }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.tuple(field(name), field(name)) }));
    return fc.tuple(...each).map((groups) => groups.flat());
  }

  async function property<T>(name: string, count: Record<string, number>, targets: Record<string, { fields: string[]; run: (form: FormData) => Promise<T> }>, check: (target: string, result: T, before: unknown, after: () => Promise<unknown>) => Promise<void>) {
    const cases = fc.constantFrom(...Object.keys(targets)).chain((target) => fc.tuple(fc.constant(target), forms(targets[target]!.fields)));
    await fc.assert(
      fc.asyncProperty(cases, async ([target, pairs]) => {
        count[target] = (count[target] ?? 0) + 1;
        const before = await outsideTheDeliveryLog(world.database.db);
        let result: T;
        try {
          result = await targets[target]!.run(formData(pairs));
        } catch (error) {
          throw new Error(`${name} ${target} threw (a 500) on ${JSON.stringify(pairs)}: ${String(error)}`);
        }
        await check(target, result, before, () => outsideTheDeliveryLog(world.database.db));
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }

  it("the shopper's forms (checkout, payment link, API checkout session, retry, invitation, sign-up, a new store) never throw, and write nothing when they refuse", async () => {
    const count: Record<string, number> = {};
    const targets = {
      checkout: { fields: ["merchant", "cart", "name", "email", "country", "phone", "option", "locale"], run: (f: FormData) => placeCartOrder(world.submit, f) },
      link: { fields: ["link", "amount", "name", "email", "country", "phone", "option", "locale"], run: (f: FormData) => placeLinkOrder(world.submit, f) },
      session: { fields: ["session", "amount", "name", "email", "country", "phone", "option", "locale"], run: (f: FormData) => placeSessionOrder(world.submit, f) },
      retry: { fields: ["order", "option"], run: (f: FormData) => retryOrder(world.submit, f) },
      invitation: {
        fields: ["token", "name", "password"],
        // A real token now and then (the form's hidden field), or the hostile value in its place.
        run: (f: FormData) => acceptInvitation(world.database.db, { ...formFields(f), ...(f.get("token") === "0" ? { token: world.tokens[0] } : {}) }, null),
      },
      signup: { fields: ["name", "email", "password"], run: (f: FormData) => signUp(world.database.db, formFields(f), null) },
      // Any signed-in user may open a store: here the owner of demo, who may own a few more.
      store: { fields: ["name", "slug", "country", "currency", "timeZone"], run: (f: FormData) => createStore(world.database.db, world.owner.user.id, formFields(f)) },
    };
    let accepted = 0;
    await property<unknown>("shopper", count, targets, async (_target, result, before, after) => {
      // A state with field errors (the shopper's forms) or ok: false (the invitation's) is a refusal; a URL or ok: true is not.
      const refused = result === null || (typeof result === "object" && ("fieldErrors" in result || ("ok" in result && !result.ok)));
      if (refused) expect(await after()).toEqual(before);
      else accepted++;
    });
    reportCases("shopper actions", count);
    console.log(`fuzz shopper actions: ${accepted} accepted (an order, an account or a store made on purpose)`);
  }, 600_000);

  it("the dashboard's forms never throw, never touch another merchant's rows, and write nothing when they refuse", async () => {
    const { db } = world.database;
    const deps = world.app.deps();
    const theirs = await merchantRows(db, world.autreId);
    const count: Record<string, number> = {};
    const as = (run: (ctx: MerchantContext, fields: Record<string, FormDataEntryValue>) => Promise<ActionResult<unknown>>) => (f: FormData) =>
      // The staff member now and then: the same forms, fewer permissions.
      run(f.get("locale") === "en" ? world.staff : world.owner, formFields(f));
    const targets = {
      recheck: { fields: ["paymentId", "locale"], run: as((c, i) => recheckPayment(deps, c, i)) },
      refund: { fields: ["paymentId", "amount", "reason", "confirm", "idempotencyKey", "locale"], run: as((c, i) => refundOrderPayment(deps, c, i)) },
      replay: { fields: ["notificationId", "locale"], run: as((c, i) => replayNotification(deps, c, i)) },
      exception: { fields: ["paymentId", "action", "token", "note", "locale"], run: as((c, i) => resolveException(deps, c, i)) },
      createLink: { fields: ["title", "description", "amount", "locale"], run: as((c, i) => createLink(db, c, i)) },
      linkActive: { fields: ["linkId", "active", "locale"], run: as((c, i) => setLinkActive(db, c, i)) },
      settings: {
        fields: ["provider", "enabled", "mode", "feeRate", "feeFixed", "settlementDelayDays", "sandbox_cred_siteId", "sandbox_cred_apiKey", "sandbox_cred_secretKey", "live_cred_vendorId", "live_forget", "locale"], run: as((c, i) => saveProviderAccount(db, TEST_ENCRYPTION_KEY, c, i)) },
      invite: { fields: ["email", "role", "locale"], run: as((c, i) => inviteMember(db, c, i)) },
      revoke: { fields: ["invitationId", "locale"], run: as((c, i) => revokeInvitation(db, c, i)) },
      role: { fields: ["memberId", "role", "locale"], run: as((c, i) => changeMemberRole(db, c, i)) },
      remove: { fields: ["memberId", "locale"], run: as((c, i) => removeMember(db, c, i)) },
      createApiKey: { fields: ["name", "mode", "locale"], run: as((c, i) => createApiKey(db, c, i)) },
      revokeApiKey: { fields: ["keyId", "locale"], run: as((c, i) => revokeApiKey(db, c, i)) },
      createProduct: { fields: ["name", "description", "price", "stock", "image", "locale"], run: async (f: FormData) => as(async (c, i) => createProduct(db, c, i, await readUpload(withImage(f))))(f) },
      updateProduct: { fields: ["productId", "name", "description", "price", "stock", "stockSeen", "image", "locale"], run: async (f: FormData) => as(async (c, i) => updateProduct(db, c, i, await readUpload(withImage(f))))(f) },
      archiveProduct: { fields: ["productId", "archived", "locale"], run: as((c, i) => setProductArchived(db, c, i)) },
      moveProduct: { fields: ["productId", "direction", "locale"], run: as((c, i) => moveProduct(db, c, i)) },
    };
    await property("dashboard", count, targets, async (_target, result, before, after) => {
      expect(await merchantRows(db, world.autreId)).toEqual(theirs);
      if (!result.ok && ["invalid_input", "not_found", "forbidden"].includes(result.error)) expect(await after()).toEqual(before);
    });
    reportCases("dashboard actions", count);
    // The session's own merchant is still there to fuzz: nobody removed the last owner.
    expect((await db.select().from(s.members).where(eq(s.members.merchantId, world.demoId))).some((m) => m.role === "owner")).toBe(true);
  }, 600_000);
});
