import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { signUp } from "@/lib/auth/signup";
import { loadShop } from "@/lib/checkout/shop";
import { getPublicOrder } from "@/lib/orders/public";
import { MAX_IMAGE_BYTES } from "@/lib/products/image";
import { serveProductImage } from "@/lib/products/image-route";
import { createProduct } from "@/lib/products/manage";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { merchantRows } from "@/lib/testing/row-snapshot";
import { createStore } from "./create";
import { getStoreSettings, updateStore } from "./edit";
import { getPaidChecklist } from "./get-paid";

const PNG = new Uint8Array(readFileSync(path.join(process.cwd(), "e2e/support/product.png")));
const WEBP = new Uint8Array([...new TextEncoder().encode("RIFF"), 4, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")]);
const sha256Of = (url: string | null) => url!.split("/").pop()!;
const refused = (fieldErrors: Record<string, string>) => ({ ok: false, error: "invalid_input", fieldErrors });
const stepsDone = (steps: { key: string; done: boolean }[]) => Object.fromEntries(steps.map((st) => [st.key, st.done]));

describe.each(TEST_DATABASES)("store editing, logo and get-paid checklist on $name", ({ open }) => {
  let database: Database;
  let demo: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;
  let fresh: MerchantContext;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 20 });
    demo = await seededMerchantContext(database, "owner@demo.test");
    staff = await seededMerchantContext(database, "staff@demo.test");
    autre = await seededMerchantContext(database, "owner@autre.test");
    const awa = (await signUp(database.db, { name: "Awa", email: "awa@chez-awa.ci", password: "mangue-tamarin-42" }, null)) as { userId: string };
    expect(await createStore(database.db, awa.userId, { name: "Chez Awa", country: "CI" })).toMatchObject({ ok: true });
    fresh = (await loadMerchantContext(database.db, awa.userId))!;
  });
  afterAll(() => database.close());

  // The context requireMerchant() would build on the next request, after an edit.
  const reload = async (ctx: MerchantContext) => (await loadMerchantContext(database.db, ctx.user.id, ctx.merchant.id))!;
  const fields = (ctx: MerchantContext, changes: Record<string, string> = {}) => ({
    name: ctx.merchant.name,
    slug: ctx.merchant.slug,
    country: ctx.merchant.country,
    currency: ctx.merchant.currency,
    timeZone: ctx.merchant.timeZone,
    ...changes,
  });

  it("a new store's checklist: nothing done; adding a product does step 1", async () => {
    const steps = await getPaidChecklist(database.db, fresh.merchant);
    expect(steps).toEqual([
      { key: "catalog", done: false, href: "/dashboard/products" },
      { key: "sandbox", done: false, href: "/dashboard/settings#providers" },
      { key: "testPayment", done: false, href: "/chez-awa" },
      { key: "live", done: false, href: "/dashboard/settings#providers" },
    ]);
  });

  it("the demo store's checklist: something to sell, sandbox accounts and paid sandbox orders, not live", async () => {
    expect(stepsDone(await getPaidChecklist(database.db, demo.merchant))).toEqual({ catalog: true, sandbox: true, testPayment: true, live: false });
    // A live account (its live set stored) does the last step; its sandbox set still counts for step 2.
    const [account] = await database.db.select().from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, demo.merchant.id)).limit(1);
    await database.db.update(s.providerAccounts).set({ mode: "live", livePublicId: `live-${account!.id}`, liveCredentialsEncrypted: account!.sandboxCredentialsEncrypted }).where(eq(s.providerAccounts.id, account!.id));
    expect(stepsDone(await getPaidChecklist(database.db, demo.merchant))).toEqual({ catalog: true, sandbox: true, testPayment: true, live: true });
    // Disabled, it no longer takes payments: not live.
    await database.db.update(s.providerAccounts).set({ enabled: false }).where(eq(s.providerAccounts.id, account!.id));
    expect(stepsDone(await getPaidChecklist(database.db, demo.merchant)).live).toBe(false);
    await database.db.update(s.providerAccounts).set({ enabled: true, mode: "sandbox", livePublicId: null, liveCredentialsEncrypted: null }).where(eq(s.providerAccounts.id, account!.id));
  });

  it("edits the name, slug, country, currency and zone of a store with nothing priced yet", async () => {
    const edited = await updateStore(database.db, fresh, fields(fresh, { name: "Duka la Awa", slug: "Duka-Awa", country: "KE", currency: "USD", timeZone: "Africa/Nairobi" }));
    expect(edited).toEqual({ ok: true, slug: "duka-awa" });
    expect(await getStoreSettings(database.db, fresh.merchant.id)).toEqual({ name: "Duka la Awa", slug: "duka-awa", country: "KE", currency: "USD", timeZone: "Africa/Nairobi", logoUrl: null });
    fresh = await reload(fresh);
    expect(fresh.merchant).toMatchObject({ defaultLocale: "en" });
    // The old address no longer opens the shop; the new one does.
    expect(await loadShop(database.db, "chez-awa")).toBeNull();
    expect((await loadShop(database.db, "duka-awa"))!.merchant.name).toBe("Duka la Awa");
  });

  it("refuses at their fields what opening a store refuses: taken, reserved or malformed slugs, a currency or zone not of the country", async () => {
    const before = await getStoreSettings(database.db, fresh.merchant.id);
    expect(await updateStore(database.db, fresh, fields(fresh, { slug: "demo" }))).toEqual(refused({ slug: "slug_taken" }));
    expect(await updateStore(database.db, fresh, fields(fresh, { slug: "dashboard" }))).toEqual(refused({ slug: "slug_reserved" }));
    expect(await updateStore(database.db, fresh, fields(fresh, { slug: "-x_" }))).toEqual(refused({ slug: "slug_invalid" }));
    expect(await updateStore(database.db, fresh, fields(fresh, { currency: "XOF", timeZone: "Europe/Paris" }))).toEqual(refused({ currency: "currency_invalid", timeZone: "time_zone_invalid" }));
    expect(await updateStore(database.db, fresh, fields(fresh, { name: "", country: "FR" }))).toEqual(refused({ name: "name_required", country: "country_invalid" }));
    expect(await updateStore(database.db, fresh, {})).toMatchObject({ ok: false, error: "invalid_input" });
    expect(await getStoreSettings(database.db, fresh.merchant.id)).toEqual(before);
  });

  it("locks the currency once anything is priced in it: a product, then orders; the other fields still change", async () => {
    expect(await createProduct(database.db, fresh, { name: "Chai", price: "2.50" })).toMatchObject({ ok: true });
    expect(stepsDone(await getPaidChecklist(database.db, fresh.merchant)).catalog).toBe(true);
    expect(await updateStore(database.db, fresh, fields(fresh, { currency: "KES" }))).toEqual(refused({ currency: "currency_locked_prices" }));
    expect(await updateStore(database.db, demo, fields(demo, { currency: "USD" }))).toEqual(refused({ currency: "currency_locked_orders" }));
    expect(await updateStore(database.db, demo, fields(demo, { name: "Boutique Démo", currency: "USD", slug: "demo-2" }))).toEqual(refused({ slug: "slug_locked", currency: "currency_locked_orders" }));
    // Both problems at once are both told.
    expect(await updateStore(database.db, demo, fields(demo, { currency: "USD", slug: "autre" }))).toEqual(refused({ slug: "slug_taken", currency: "currency_locked_orders" }));
    expect((await getStoreSettings(database.db, demo.merchant.id))!).toMatchObject({ name: demo.merchant.name, slug: "demo", currency: "XOF" });
    // The same currency is no change: the rest is saved.
    expect(await updateStore(database.db, fresh, fields(fresh, { timeZone: "Africa/Kampala" }))).toEqual({ ok: true, slug: "duka-awa" });
    fresh = await reload(fresh);
    expect(fresh.merchant.timeZone).toBe("Africa/Kampala");
  });

  it("keeps the address once payments use it: providers notify /api/webhooks/<provider>/<slug>, and a freed address could be taken by another store, which would then receive them", async () => {
    const demoStore = await getStoreSettings(database.db, demo.merchant.id);
    expect(await updateStore(database.db, demo, fields(demo, { slug: "demo-neuf" }))).toEqual(refused({ slug: "slug_locked" }));
    expect(await getStoreSettings(database.db, demo.merchant.id)).toEqual(demoStore);
    // A store with no payment yet may still change it (the fresh store did, above).
    expect(await database.db.$count(s.payments, eq(s.payments.merchantId, fresh.merchant.id))).toBe(0);
  });

  it("takes a PNG or WebP logo of 1 MB at most, served like product images, shown by the shop and order pages; removable", async () => {
    expect(await updateStore(database.db, fresh, fields(fresh), { bytes: PNG })).toMatchObject({ ok: true });
    const { logoUrl } = (await getStoreSettings(database.db, fresh.merchant.id))!;
    expect(logoUrl).toMatch(/^\/products\/images\/[0-9a-f]{64}$/);
    const res = await serveProductImage(database.db, sha256Of(logoUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect((await loadShop(database.db, "duka-awa"))!.merchant.logoUrl).toBe(logoUrl);
    const [demoOrder] = await database.db.select({ id: s.orders.id }).from(s.orders).where(eq(s.orders.merchantId, demo.merchant.id)).limit(1);
    expect((await getPublicOrder(database.db, demoOrder!.id))!.merchant.logoUrl).toBeNull();

    // Replaced: the old URL is no longer served, the new one is.
    expect(await updateStore(database.db, fresh, fields(fresh), { bytes: WEBP })).toMatchObject({ ok: true });
    const replaced = (await getStoreSettings(database.db, fresh.merchant.id))!.logoUrl;
    expect((await serveProductImage(database.db, sha256Of(replaced))).headers.get("content-type")).toBe("image/webp");
    expect((await serveProductImage(database.db, sha256Of(logoUrl))).status).toBe(404);

    // Removed: no URL, no bytes, nothing served.
    expect(await updateStore(database.db, fresh, { ...fields(fresh), removeLogo: "on" })).toMatchObject({ ok: true });
    expect((await getStoreSettings(database.db, fresh.merchant.id))!.logoUrl).toBeNull();
    expect(await database.db.$count(s.storeLogos, eq(s.storeLogos.merchantId, fresh.merchant.id))).toBe(0);
    expect((await serveProductImage(database.db, sha256Of(replaced))).status).toBe(404);
  });

  it("refuses a logo that is not an image (a text file renamed .png) or over 1 MB, and keeps the one stored", async () => {
    expect(await updateStore(database.db, fresh, fields(fresh), { bytes: PNG })).toMatchObject({ ok: true });
    const before = await getStoreSettings(database.db, fresh.merchant.id);
    const notAnImage = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    expect(await updateStore(database.db, fresh, fields(fresh, { name: "Autre nom" }), { bytes: notAnImage })).toEqual(refused({ logo: "image_type" }));
    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1);
    huge.set(PNG);
    expect(await updateStore(database.db, fresh, fields(fresh), { bytes: huge })).toEqual(refused({ logo: "image_too_large" }));
    expect(await updateStore(database.db, fresh, fields(fresh), { tooLarge: true })).toEqual(refused({ logo: "image_too_large" }));
    expect(await getStoreSettings(database.db, fresh.merchant.id)).toEqual(before);
  });

  it("opens a store with its logo, or refuses the store with a bad one", async () => {
    const created = await createStore(database.db, fresh.user.id, { name: "Maquis Awa", country: "SN" }, { bytes: PNG });
    expect(created).toMatchObject({ ok: true, slug: "maquis-awa" });
    expect((await getStoreSettings(database.db, (created as { merchantId: string }).merchantId))!.logoUrl).toMatch(/^\/products\/images\//);
    expect(await createStore(database.db, fresh.user.id, { name: "Maquis Deux", country: "SN" }, { bytes: new TextEncoder().encode("GIF89a") })).toEqual(refused({ logo: "image_type" }));
    expect(await database.db.$count(s.merchants, eq(s.merchants.slug, "maquis-deux"))).toBe(0);
  });

  it("only owners edit, and only their own store: staff are refused, another merchant's ids change nothing", async () => {
    const demoRows = await merchantRows(database.db, demo.merchant.id);
    expect(await updateStore(database.db, staff, fields(staff, { name: "Pris par le staff" }))).toEqual({ ok: false, error: "forbidden" });
    // autre's owner sends demo's id and slug: the form names no store, the session does.
    const forged = await updateStore(database.db, autre, { ...fields(autre, { name: "Duka la Autre" }), merchantId: demo.merchant.id, id: demo.merchant.id }, { bytes: PNG });
    expect(forged).toMatchObject({ ok: true, slug: autre.merchant.slug });
    expect(await updateStore(database.db, autre, fields(autre, { slug: "demo" }))).toEqual(refused({ slug: "slug_taken" }));
    expect(await merchantRows(database.db, demo.merchant.id)).toEqual(demoRows);
    expect((await getStoreSettings(database.db, autre.merchant.id))!.logoUrl).not.toBeNull();
    // What each store's checklist reads is its own.
    expect(stepsDone(await getPaidChecklist(database.db, { id: fresh.merchant.id, slug: fresh.merchant.slug }))).toEqual({ catalog: true, sandbox: false, testPayment: false, live: false });
  });
});
