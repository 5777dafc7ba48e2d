import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { constraintsOf, referenceView, typeOf } from "./reference";
import { API_ROUTES } from "./registry";

/** The dashboard's API reference as read from the published document. */
const view = referenceView(openApiDocument("http://localhost:3000"));
const op = (id: string) => view.groups.flatMap((g) => g.operations).find((o) => o.id === id)!;

describe("the API reference", () => {
  it("shows every operation of the registry once, under its tag", () => {
    expect(view.groups.flatMap((g) => g.operations.map((o) => `${o.method} ${o.path}`)).sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(view.groups.map((g) => g.tag)).toEqual(["Payments", "Refunds", "Payment links", "Checkout sessions", "Webhook endpoints"]);
    expect(view.serverUrl).toBe("http://localhost:3000/api/v1");
  });

  it("lists a body's fields with their types, constraints and whether they are required", () => {
    const refund = op("createRefund");
    expect(refund.body.map((f) => [f.name, f.type, f.required])).toEqual([
      ["payment", "string", true],
      ["amount", "integer", true],
      ["reason", "string", false],
    ]);
    expect(refund.body.find((f) => f.name === "amount")!.constraints).toEqual(["> 0"]);
    expect(refund.body.find((f) => f.name === "reason")!.constraints).toEqual(["at most 200 characters", 'default ""']);
    expect(refund.headers.map((h) => h.name)).toEqual(["Idempotency-Key"]);
    expect(refund.response).toMatchObject({ status: "201", object: "Refund", headers: ["Idempotent-Replayed"] });
    expect(refund.errors.map((e) => e.status)).toEqual(["400", "401", "404", "409", "413", "415", "422", "429", "500", "502"]);
    expect(refund.errors.find((e) => e.status === "429")!.headers).toEqual(["Retry-After"]);
  });

  it("lists query and path parameters", () => {
    expect(op("listPayments").query.map((q) => [q.name, q.type, q.constraints])).toEqual([
      ["limit", "integer", ["≥ 1", "≤ 100", "default 10"]],
      ["starting_after", "string", ["pattern ^[A-Za-z0-9_-]{1,64}$"]],
    ]);
    expect(op("getPayment").pathParams.map((p) => [p.name, p.required])).toEqual([["id", true]]);
  });

  it("describes the objects, nullable fields and the error's nested fields", () => {
    const payment = view.objects.find((o) => o.name === "Payment")!;
    expect(payment.fields.find((f) => f.name === "paid_at")).toMatchObject({ type: "string (date-time)", nullable: true, required: true, constraints: [] });
    expect(payment.fields.find((f) => f.name === "status")!.constraints[0]).toMatch(/^one of: "created", "pending"/);
    expect(payment.fields.find((f) => f.name === "object")!.type).toBe('"payment"');
    const list = view.objects.find((o) => o.name === "PaymentList")!;
    expect(list.fields.find((f) => f.name === "data")).toMatchObject({ type: "array of Payment", ref: "Payment" });
    const error = view.objects.find((o) => o.name === "Error")!;
    expect(error.fields.map((f) => f.name)).toEqual(["error", "error.type", "error.code", "error.message", "error.param"]);
  });

  it("says types and constraints shortly", () => {
    expect(typeOf({ type: "array", items: { $ref: "#/components/schemas/Refund" } })).toEqual({ type: "array of Refund", ref: "Refund" });
    expect(constraintsOf({ type: "string", minLength: 3, maxLength: 3 })).toEqual(["3 characters"]);
    expect(constraintsOf({ type: "integer", minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })).toEqual([]);
  });
});
