import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { loadMerchantContext } from "@/lib/auth/membership";
import { signUp } from "@/lib/auth/signup";
import { getStorefront, listStorefronts } from "@/lib/catalog/queries";
import { overviewStats } from "@/lib/dashboard/overview";
import { listLinks } from "@/lib/dashboard/links";
import { getOrderForMerchant, recentOrders } from "@/lib/orders/queries";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { createStore, MAX_OWNED_STORES } from "./create";
import { listStores, readStoreChoice, signStoreChoice } from "./current";

const SECRET = "store-choice-test-secret";
const CHEZ_AWA = { name: "Chez Awa", country: "CI" };

describe.each(TEST_DATABASES)("stores on $name", ({ name, open }) => {
  let database: Database;
  let awa: string;
  let demoOwner: string;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 20 });
    const signedUp = await signUp(database.db, { name: "Awa", email: "awa@chez-awa.ci", password: "mangue-tamarin-42" }, null);
    awa = (signedUp as { userId: string }).userId;
    [{ id: demoOwner }] = (await database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, "owner@demo.test"))) as [{ id: string }];
  });
  afterAll(() => database.close());

  it("opens a store with the slug, currency, zone and language of its name and country, its creator the owner", async () => {
    expect(await loadMerchantContext(database.db, awa)).toBeNull();
    const created = await createStore(database.db, awa, CHEZ_AWA);
    expect(created).toMatchObject({ ok: true, slug: "chez-awa" });
    const [store] = await database.db.select().from(s.merchants).where(eq(s.merchants.slug, "chez-awa"));
    expect(store).toMatchObject({ name: "Chez Awa", country: "CI", currency: "XOF", timeZone: "Africa/Abidjan", defaultLocale: "fr" });
    expect(await loadMerchantContext(database.db, awa)).toMatchObject({ role: "owner", merchant: { slug: "chez-awa", currency: "XOF" } });
  });

  it("takes an edited slug, currency and zone; Kenya's store greets in English", async () => {
    const created = await createStore(database.db, awa, { name: "Duka la Awa", slug: "Duka-Nairobi", country: "KE", currency: "USD", timeZone: "Africa/Kampala" });
    expect(created).toMatchObject({ ok: true, slug: "duka-nairobi" });
    const [store] = await database.db.select().from(s.merchants).where(eq(s.merchants.slug, "duka-nairobi"));
    expect(store).toMatchObject({ country: "KE", currency: "USD", timeZone: "Africa/Kampala", defaultLocale: "en" });
  });

  it("answers bad input at its fields: taken, reserved or malformed slugs, unknown country, currency or zone", async () => {
    const refused = (fieldErrors: Record<string, string>) => ({ ok: false, error: "invalid_input", fieldErrors });
    expect(await createStore(database.db, awa, { name: "Autre Awa", slug: "demo", country: "CI" })).toEqual(refused({ slug: "slug_taken" }));
    expect(await createStore(database.db, awa, { name: "Dashboard", country: "CI" })).toEqual(refused({ slug: "slug_reserved" }));
    expect(await createStore(database.db, awa, { name: "X", slug: "signup", country: "CI" })).toEqual(refused({ slug: "slug_reserved" }));
    expect(await createStore(database.db, awa, { name: "🙂", country: "CI" })).toEqual(refused({ slug: "slug_invalid" }));
    expect(await createStore(database.db, awa, { name: "Awa", slug: "-awa_!", country: "CI" })).toEqual(refused({ slug: "slug_invalid" }));
    expect(await createStore(database.db, awa, { name: "Awa", slug: "awa-ke", country: "KE", currency: "XOF", timeZone: "Europe/Paris" })).toEqual(
      refused({ currency: "currency_invalid", timeZone: "time_zone_invalid" }),
    );
    expect(await createStore(database.db, awa, { name: "Awa", country: "FR" })).toEqual(refused({ country: "country_invalid" }));
    expect(await createStore(database.db, awa, { name: "", country: 3 })).toEqual(refused({ name: "name_required", country: "invalid" }));
    expect(await createStore(database.db, awa, { name: "A\u0000", slug: "x".repeat(81), country: "CI" })).toEqual(refused({ name: "invalid", slug: "too_long" }));
    expect(await createStore(database.db, awa, {})).toMatchObject({ ok: false, error: "invalid_input" });
  });

  it("a new store sees none of demo's data", async () => {
    const ctx = (await loadMerchantContext(database.db, awa))!;
    const [demo] = await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo"));
    const [demoOrder] = await recentOrders(database.db, demo!.id, 1);
    expect(demoOrder).toBeDefined();
    expect(await recentOrders(database.db, ctx.merchant.id, 50)).toEqual([]);
    expect(await getOrderForMerchant(database.db, ctx.merchant.id, demoOrder!.id)).toBeNull();
    expect(await listLinks(database.db, ctx.merchant.id)).toEqual([]);
    expect(await overviewStats(database.db, ctx.merchant, "30d")).toMatchObject({ volumeMinor: 0, orderCount: 0, collected: 0 });
    // Its storefront is empty, and Caisse's home page does not list it among the demo stores.
    expect(await getStorefront(database.db, "chez-awa")).toMatchObject({ merchant: { name: "Chez Awa" }, products: [] });
    expect((await listStorefronts(database.db)).map((st) => st.slug).sort()).toEqual(["autre", "demo"]);
  });

  it("switches between the user's stores, and a forged or foreign choice falls back to the oldest", async () => {
    const stores = await listStores(database.db, awa);
    expect(stores.map((st) => st.slug)).toEqual(["chez-awa", "duka-nairobi"]);
    const duka = stores[1]!.id;
    const [demo] = await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo"));

    const chosen = (cookie: string | undefined) => readStoreChoice(SECRET, awa, cookie);
    expect(chosen(signStoreChoice(SECRET, awa, duka))).toBe(duka);
    expect((await loadMerchantContext(database.db, awa, duka))!.merchant.slug).toBe("duka-nairobi");
    expect((await loadMerchantContext(database.db, awa, null))!.merchant.slug).toBe("chez-awa");

    // Forged: demo's id under a made-up signature, under another user's signature, or another secret's.
    expect(chosen(`${demo!.id}.forged`)).toBeNull();
    expect(chosen(signStoreChoice(SECRET, demoOwner, demo!.id))).toBeNull();
    expect(chosen(signStoreChoice("another-secret-entirely", awa, demo!.id))).toBeNull();
    for (const junk of [undefined, "", ".", `${duka}`, `${duka}.sig.extra`, "x\u0000.y"]) expect(chosen(junk)).toBeNull();
    // Even a genuine signature never opens a store the user is not a member of.
    expect((await loadMerchantContext(database.db, awa, demo!.id))!.merchant.slug).toBe("chez-awa");
    expect((await loadMerchantContext(database.db, demoOwner, duka))!.merchant.slug).toBe("demo");
  });

  it("a removed membership is no longer chosen", async () => {
    const [demo] = await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo"));
    const created = await createStore(database.db, demoOwner, { name: "Demo Deux", country: "SN" });
    expect(created).toMatchObject({ ok: true, slug: "demo-deux" });
    const second = (created as { merchantId: string }).merchantId;
    expect((await loadMerchantContext(database.db, demoOwner, second))!.merchant.slug).toBe("demo-deux");
    await database.db.delete(s.members).where(eq(s.members.merchantId, second));
    expect((await loadMerchantContext(database.db, demoOwner, second))!.merchant.id).toBe(demo!.id);
  });

  it(`an account owns at most ${MAX_OWNED_STORES} stores`, async () => {
    const owner = (await signUp(database.db, { name: "Chaîne", email: "chaine@shops.test", password: "mangue-tamarin-42" }, null)) as { userId: string };
    for (let i = 0; i < MAX_OWNED_STORES; i++) expect(await createStore(database.db, owner.userId, { name: `Chaîne ${i}`, country: "BJ" })).toMatchObject({ ok: true });
    expect(await createStore(database.db, owner.userId, { name: "Une de trop", country: "BJ" })).toEqual({ ok: false, error: "too_many_stores" });
  });

  it("two stores asking for one slug at once: one gets it, the other is told it is taken", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const results = await Promise.all([createStore(database.db, awa, { name: "Maquis Awa", country: "CI" }), createStore(database.db, demoOwner, { name: "Maquis Awa", country: "TG" })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: "invalid_input", fieldErrors: { slug: "slug_taken" } });
    expect(await database.db.$count(s.merchants, eq(s.merchants.slug, "maquis-awa"))).toBe(1);
    // The loser's transaction left no store and no membership behind.
    const [winner] = await database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "maquis-awa"));
    expect(winner!.id).toBe((results.find((r) => r.ok) as { merchantId: string }).merchantId);
    expect(await database.db.$count(s.members, eq(s.members.merchantId, winner!.id))).toBe(1);
  });
});
