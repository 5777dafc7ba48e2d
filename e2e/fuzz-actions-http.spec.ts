import { expect, test, type APIRequestContext } from "@playwright/test";
import { drizzle } from "drizzle-orm/postgres-js";
import fc from "fast-check";
import type { Database } from "@/db/client";
import * as schema from "@/db/schema";
import { FUZZ_RUNS, FUZZ_SEED, hugeNumber, idOr, nasty, reportCases } from "@/lib/testing/hostile";
import { merchantRows, outsideTheDeliveryLog } from "@/lib/testing/row-snapshot";
import { actionIds, scriptActionIds, scriptPaths } from "./support/actions";
import { USERS } from "./support/auth";
import { e2eDatabase } from "./support/db";

/**
 * Issue 13, Must-show, over HTTP: hostile requests at every server action the pages carry, as a
 * stranger sends them to `next start` (lib/security/fuzz-actions.integration.test.ts gives the
 * actions' own functions hostile forms; this reaches what comes before them: Next's decoding of
 * React's reply format, the proxy, requireMerchant). React argument arrays full of `$`
 * references, multipart with missing, repeated and huge fields, urlencoded, invalid UTF-8, wrong
 * content types, garbled action ids, control characters and the other merchant's ids, with and
 * without a session. Never a 5xx; on PostgreSQL, a stranger's requests write nothing outside the
 * delivery log, and autre's session leaves demo's rows as they were.
 */

/** A run small enough for CI (a few seconds); FUZZ_RUNS makes it longer. */
const RUNS = process.env.FUZZ_RUNS ? FUZZ_RUNS : 300;

/** demo's ids, which autre's owner (and a stranger) may put anywhere. */
const DEMO_IDS = ["lnk_demoMontantLibre000001", "lnk_demoAbonnementMensuel01", "demo", "owner@demo.test"];
const FIELDS = ["locale", "link", "linkId", "amount", "name", "phone", "email", "country", "option", "order", "paymentId", "notificationId", "id", "memberId", "role", "title", "provider", "mode", "confirm", "productId", "price", "stock", "direction", "archived"];
const BOUNDARY = "----caisseFuzzBoundary7MA4YWxk";

type Case = { kind: string; session: boolean; path: string; headers: Record<string, string>; body: Buffer };

/** Where each action id was found: it is posted to that page. */
type Found = { id: string; path: string; session: boolean };

function multipart(fields: [string, string | Buffer][]): Buffer {
  const parts = fields.map(([name, value]) => Buffer.concat([Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value), Buffer.from("\r\n")]));
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

function cases(found: Found[]): Case[] {
  const value = fc.oneof(idOr(DEMO_IDS), hugeNumber.map(String), fc.constant("x".repeat(70_000)));
  const reference = fc
    .tuple(fc.constantFrom("", "$", "@", "h", "T", "Q", "W", "K", "B", "i", "n", "D", "u", "A", "o", "R", "x", "z"), fc.oneof(fc.nat(6).map((n) => n.toString(16)), nasty), fc.array(fc.constantFrom("0", "a", "__proto__"), { maxLength: 2 }))
    .map(([type, id, path]) => `$${type}${id}${path.map((p) => `:${p}`).join("")}`);
  const arg = fc.oneof(reference, nasty, fc.constant(null), hugeNumber, fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(reference, nasty), { maxKeys: 3 }));
  const fields = fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { maxLength: 6 });
  const where = fc.constantFrom(...found);
  const actionId = (id: string) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(id) },
      { weight: 1, arbitrary: fc.constantFrom("", "zz", "0".repeat(42), `${id}00`, id.slice(1), "x".repeat(300), `${id.slice(0, -1)}g`) },
    );
  const text = "text/plain;charset=UTF-8";
  const kinds: fc.Arbitrary<Omit<Case, "session" | "path">>[] = [
    // React's text reply: the arguments as a JSON array, references and all.
    fc.array(arg, { maxLength: 3 }).map((args) => ({ kind: "react text", headers: { "content-type": text }, body: Buffer.from(JSON.stringify(args)) })),
    // React's multipart reply: a form's fields under _1_, the root row, other rows, in any order.
    fc
      .tuple(fields, fc.array(fc.tuple(fc.constantFrom("0", "1", "2"), fc.array(arg, { maxLength: 2 }).map((a) => JSON.stringify(a))), { maxLength: 2 }), fc.oneof(fc.constant('[null,"$K1"]'), fc.constant('["$K1"]'), fc.array(arg, { maxLength: 2 }).map((a) => JSON.stringify(a)), fc.constant(null)))
      .map(([form, rows, root]) => ({
        kind: "react multipart",
        headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
        body: multipart([...form.map(([k, v]): [string, string] => [`_1_${k}`, v]), ...rows, ...(root === null ? [] : [["0", root] as [string, string]])]),
      })),
    // A form without JavaScript: an action id field, or a bound action's rows, and the fields.
    fc.tuple(fields, fc.boolean(), fc.oneof(fc.constant("$@1"), fc.constant(null), reference)).map(([form, bound, args]) => ({
      kind: "form without JavaScript",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipart([...(bound ? [["$ACTION_REF_1", ""], ["$ACTION_1:0", JSON.stringify({ id: "ID", bound: args })], ["$ACTION_1:1", "[null]"], ["$ACTION_KEY", "k0"]] : [["$ACTION_ID_ID", ""]]) as [string, string][], ...form]),
    })),
    fields.map((form) => ({ kind: "urlencoded", headers: { "content-type": "application/x-www-form-urlencoded" }, body: Buffer.from(new URLSearchParams(form.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, "x")])).toString()) })),
    fc.constantFrom<Omit<Case, "session" | "path">>(
      { kind: "invalid UTF-8", headers: { "content-type": text }, body: Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x5d]) },
      { kind: "invalid UTF-8", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart([["0", Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d])]]) },
      { kind: "wrong content type", headers: { "content-type": "application/json" }, body: Buffer.from('{"locale":"en"}') },
      { kind: "wrong content type", headers: { "content-type": "Multipart/Form-Data; boundary=x" }, body: Buffer.from("[]") },
      { kind: "wrong content type", headers: { "content-type": "multipart/form-data" }, body: Buffer.from("--x\r\n") },
      { kind: "wrong content type", headers: { "content-type": "image/png" }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      { kind: "wrong content type", headers: {}, body: Buffer.from("[]") },
      { kind: "oversized", headers: { "content-type": text }, body: Buffer.from(`["${"a".repeat(2_200_000)}"]`) },
      { kind: "control characters", headers: { "content-type": text }, body: Buffer.from(JSON.stringify(["\u0000", "\u0001\u001f", { locale: "e\u0000n" }])) },
    ),
  ];
  const arbitrary = fc.tuple(where, fc.oneof(...kinds)).chain(([at, request]) =>
    actionId(at.id).map((id) => {
      const headers = { ...request.headers, ...(request.kind === "form without JavaScript" ? {} : { "next-action": id }) };
      const body = request.kind === "form without JavaScript" ? Buffer.from(request.body.toString("latin1").replaceAll("$ACTION_ID_ID", `$ACTION_ID_${id}`).replaceAll('"id":"ID"', `"id":"${id}"`), "latin1") : request.body;
      return { ...request, headers, body, session: at.session, path: at.path };
    }),
  );
  return fc.sample(arbitrary, { numRuns: RUNS, seed: FUZZ_SEED });
}

async function collect(client: APIRequestContext, paths: string[], session: boolean, scripts: Map<string, string>): Promise<Found[]> {
  const found: Found[] = [];
  for (const path of paths) {
    const html = await (await client.get(path)).text();
    const ids = actionIds(html);
    for (const script of scriptPaths(html)) {
      if (!scripts.has(script)) scripts.set(script, await (await client.get(script)).text());
      ids.push(...scriptActionIds(scripts.get(script)!));
    }
    for (const id of ids) if (!found.some((f) => f.id === id)) found.push({ id, path, session });
  }
  return found;
}

/** autre's owner, signed in through next-auth's own form post. */
async function signedIn(client: APIRequestContext) {
  const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await client.post("/api/auth/callback/credentials", { form: { ...USERS.autreOwner, csrfToken, callbackUrl: "/dashboard" }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
}

test("server actions over HTTP: hostile requests with and without a session never get a 5xx and write nothing they should not", async ({ playwright, baseURL, request }, info) => {
  test.setTimeout(120_000);
  const owner = await playwright.request.newContext({ baseURL });
  const sql = info.project.name === "postgres" ? e2eDatabase() : null;
  const db = sql && (drizzle(sql, { schema, casing: "snake_case" }) as unknown as Database["db"]);
  try {
    await signedIn(owner);
    const orders = await (await owner.get("/dashboard/orders")).text();
    const orderPaths = [...new Set([...orders.matchAll(/href="(\/dashboard\/orders\/ord_[A-Za-z0-9_-]+)"/g)].map((m) => m[1]!))].slice(0, 3);
    const scripts = new Map<string, string>();
    const anonymous = await collect(request, ["/demo", "/demo/checkout", "/pay/lnk_demoMontantLibre000001", "/login", ...orderPaths.map((p) => p.replace("/dashboard", ""))], false, scripts);
    const dashboard = (await collect(owner, ["/dashboard", "/dashboard/orders", "/dashboard/pending", ...orderPaths, "/dashboard/products", "/dashboard/links", "/dashboard/settings", "/dashboard/notifications", "/dashboard/exceptions"], true, scripts)).filter((f) => !anonymous.some((a) => a.id === f.id));
    // The shop's (language switch, cart checkout, pay link) and the dashboard's (refund, links, team, settings, replay…).
    expect(anonymous.length).toBeGreaterThanOrEqual(3);
    expect(dashboard.length).toBeGreaterThanOrEqual(6);
    // Each dashboard action is also tried without a session.
    const all = cases([...anonymous, ...dashboard, ...dashboard.map((f) => ({ ...f, session: false }))]);

    const counts: Record<string, number> = {};
    const failures: { kind: string; session: boolean; path: string; status: number; body: string }[] = [];
    const send = async (c: Case) => {
      counts[c.kind] = (counts[c.kind] ?? 0) + 1;
      const res = await (c.session ? owner : request).fetch(c.path, { method: "POST", headers: c.headers, data: c.body, maxRedirects: 0 });
      if (res.status() >= 500) failures.push({ kind: c.kind, session: c.session, path: c.path, status: res.status(), body: c.body.subarray(0, 300).toString("latin1") });
    };

    const demoId = db && (await db.query.merchants.findFirst({ where: (m, { eq }) => eq(m.slug, "demo") }))!.id;
    const before = db && { stranger: pick(await outsideTheDeliveryLog(db)), demo: pickDemo(await merchantRows(db, demoId!)) };
    for (const c of all.filter((c) => !c.session)) await send(c);
    const afterStranger = db && pick(await outsideTheDeliveryLog(db));
    for (const c of all.filter((c) => c.session)) await send(c);
    const afterSession = db && pickDemo(await merchantRows(db, demoId!));

    reportCases(`server actions over HTTP (${info.project.name}, ${anonymous.length + dashboard.length} actions)`, counts);
    expect(failures).toEqual([]);
    if (before) {
      expect(afterStranger).toEqual(before.stranger);
      expect(afterSession).toEqual(before.demo);
    }
  } finally {
    await owner.dispose();
    await sql?.end();
  }
});

/**
 * What a stranger's request could create. Payment statuses and events are left out: the
 * reconciliation worker moves earlier tests' payments while this runs.
 */
function pick(rows: Awaited<ReturnType<typeof outsideTheDeliveryLog>>) {
  const { payments, refunds, orders, orderItems, accounts, merchants, links, users, members, invitations } = rows;
  return { payments, refunds, orders, orderItems, accounts, merchants, links, users, members, invitations };
}

/** demo's rows that only its own session may change (the worker moves payments, not these). */
function pickDemo(rows: Awaited<ReturnType<typeof merchantRows>>) {
  const { links, members, invitations, accounts, products, refunds } = rows;
  return { links, members, invitations, accounts, products, refunds: refunds.map((r) => r.refund.id) };
}
