import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "./registry";
import { openApiDocument, openApiResponse } from "./openapi";
import { createPaymentLinkBody } from "./resources/payment-links";
import { createRefundBody } from "./resources/refunds";

/**
 * The OpenAPI document in shape: OpenAPI 3.1 as its specification reads (a hand-written
 * structural check: no validator of the OpenAPI schema itself is vendored), every route of the
 * registry the router serves, every $ref resolving, every schema a valid JSON Schema 2020-12.
 */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc: Json = openApiDocument("http://localhost:3000");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function* walk(node: Json, path: string[] = []): Generator<[string[], Json]> {
  if (node && typeof node === "object") {
    yield [path, node];
    for (const [k, v] of Object.entries(node)) yield* walk(v, [...path, k]);
  }
}

const resolve = (ref: string): Json => ref.slice(2).split("/").reduce((node: Json, key) => node?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);

const operations = () => Object.entries(doc.paths).flatMap(([path, item]: [string, Json]) => Object.entries(item).map(([method, op]: [string, Json]) => ({ path, method, op })));

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, a server under /api/v1 and the JSON Schema 2020-12 dialect", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    expect(doc.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(doc).sort()).toEqual(["components", "info", "jsonSchemaDialect", "openapi", "paths", "security", "servers", "tags"]);
  });

  it("authenticates with a bearer key everywhere", () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it("has every route of the registry, and nothing else, once", () => {
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(new Set(documented).size).toBe(API_ROUTES.length);
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/[a-z-]+(\/\{\w+\})?$/);
  });

  it("gives every operation a unique operationId, a tag, a summary, its path parameters and responses", () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations()) {
      expect(METHODS).toContain(method);
      expect(op.summary).toMatch(/\w/);
      expect(op.tags).toHaveLength(1);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p: Json) => p.in === "path").map((p: Json) => p.name)).toEqual(pathParams);
      for (const p of op.parameters.filter((p: Json) => p.in === "path")) expect(p.required).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.filter((s) => /^2\d\d$/.test(s))).toHaveLength(1);
      for (const s of statuses) expect(s).toMatch(/^[1-5]\d\d$/);
      for (const [status, response] of Object.entries(op.responses) as [string, Json][]) {
        expect(response.description).toMatch(/\w/);
        expect(response.content["application/json"].schema.$ref).toMatch(/^#\/components\/schemas\//);
        if (status >= "400") {
          expect(response.content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
          expect(response["x-error-codes"].length).toBeGreaterThan(0);
        }
      }
      // What every route can answer: a bad key, the rate limit (with Retry-After), our own failure.
      expect(op.responses["401"]).toBeDefined();
      expect(resolve(op.responses["429"].headers["Retry-After"].$ref).schema).toMatchObject({ type: "integer" });
      expect(op.responses["500"]).toBeDefined();
      if (path.includes("{")) expect(op.responses["404"]["x-error-codes"].map((c: Json) => c.code)).toContain("resource_missing");
    }
  });

  it("lets every POST carry an Idempotency-Key and documents its 409 and replay header", () => {
    const posts = operations().filter(({ method }) => method === "post");
    expect(posts.length).toBeGreaterThan(0);
    for (const { op } of posts) {
      const header = op.parameters.map((p: Json) => (p.$ref ? resolve(p.$ref) : p)).find((p: Json) => p.in === "header");
      expect(header).toMatchObject({ name: "Idempotency-Key", required: false });
      expect(op.responses["409"]["x-error-codes"].map((c: Json) => c.code)).toEqual(["idempotency_key_reused", "idempotency_key_in_use"]);
      expect(op.requestBody.content["application/json"].schema.type).toBe("object");
      expect(Object.keys(op.responses).find((s) => s.startsWith("2"))).toBe("201");
    }
    for (const { op } of operations().filter(({ method }) => method === "get")) expect(op.requestBody).toBeUndefined();
  });

  it("has lists paginated by limit and starting_after", () => {
    for (const { op } of operations().filter(({ op }) => op.operationId.startsWith("list"))) {
      expect(op.parameters.map((p: Json) => p.name)).toEqual(["limit", "starting_after"]);
      const list = resolve(op.responses["200"].content["application/json"].schema.$ref);
      expect(list.properties).toMatchObject({ object: { const: "list" }, has_more: { type: "boolean" }, data: { type: "array", items: { $ref: expect.any(String) } } });
    }
  });

  it("resolves every $ref", () => {
    const refs = [...walk(doc)].filter(([, node]) => typeof node.$ref === "string").map(([, node]) => node.$ref as string);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      expect(resolve(ref), ref).toBeDefined();
    }
  });

  it("holds only valid JSON Schema 2020-12: every component, parameter and body compiles", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const rebase = (schema: Json) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
    let compiled = 0;
    const compile = (schema: Json) => {
      ajv.compile(schema);
      compiled++;
    };
    for (const schema of Object.values(doc.components.schemas)) compile(rebase(schema));
    for (const { op } of operations()) {
      for (const p of op.parameters.filter((p: Json) => p.schema)) compile(p.schema);
      if (op.requestBody) compile(op.requestBody.content["application/json"].schema);
    }
    expect(compiled).toBeGreaterThanOrEqual(Object.keys(doc.components.schemas).length + 2);
  });

  it("describes request bodies as the router validates them: what zod accepts, the schema accepts, and what it refuses, the schema refuses", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const body = (operationId: string) => ajv.compile(operations().find(({ op }) => op.operationId === operationId)!.op.requestBody.content["application/json"].schema);
    const cases = [
      { schema: createRefundBody, validate: body("createRefund"), good: [{ payment: "pay_1", amount: 5 }, { payment: "pay_1", amount: 5, reason: "broken" }], bad: [{}, { payment: "pay_1" }, { payment: "pay 1", amount: 5 }, { payment: "pay_1", amount: 0 }, { payment: "pay_1", amount: 1.5 }, { payment: "pay_1", amount: "5" }, { payment: "pay_1", amount: 5, extra: 1 }, { payment: "pay_1", amount: 5, reason: "x".repeat(201) }] },
      { schema: createPaymentLinkBody, validate: body("createPaymentLink"), good: [{ title: "Pagne", amount: 15000 }, { title: "Don", min_amount: 100, max_amount: 5000 }], bad: [{}, { title: "" }, { title: "x".repeat(121) }, { title: "Pagne", amount: -1 }, { title: "Pagne", colour: "red" }] },
    ];
    for (const { schema, validate, good, bad } of cases) {
      for (const value of good) expect([schema.safeParse(value).success, validate(value)], JSON.stringify(value)).toEqual([true, true]);
      for (const value of bad) expect([schema.safeParse(value).success, validate(value)], JSON.stringify(value)).toEqual([false, false]);
    }
  });

  it("is served as public JSON that another origin may read", async () => {
    const res = openApiResponse("http://localhost:3000");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual(doc);
  });
});
