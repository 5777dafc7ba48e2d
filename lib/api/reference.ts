/**
 * The OpenAPI document (lib/api/openapi.ts) read back as what the dashboard's API reference
 * shows: operations grouped by tag, each field with a short type, its constraints and its
 * description. It reads only the document, never the registry, so the page shows exactly what
 * /api/v1/openapi.json publishes.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type FieldView = { name: string; type: string; ref: string | null; required: boolean; nullable: boolean; constraints: string[]; description: string | null };
export type ErrorView = { status: string; description: string; codes: { code: string; description: string }[]; headers: string[] };
export type OperationView = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  pathParams: FieldView[];
  query: FieldView[];
  headers: FieldView[];
  body: FieldView[];
  response: { status: string; description: string; object: string | null; headers: string[] };
  errors: ErrorView[];
};
export type ObjectView = { name: string; description: string | null; fields: FieldView[] };
export type ReferenceView = { serverUrl: string; groups: { tag: string; operations: OperationView[] }[]; objects: ObjectView[] };

const SAFE = Number.MAX_SAFE_INTEGER;
const refName = (ref: string) => ref.split("/").pop()!;

function resolve(doc: Json, node: Json): Json {
  return typeof node.$ref === "string" ? node.$ref.slice(2).split("/").reduce((at: Json, key: string) => at[key], doc) : node;
}

/** The non-null branch of a nullable schema, and whether it was nullable. */
function unwrap(schema: Json): { schema: Json; nullable: boolean } {
  if (Array.isArray(schema.anyOf)) {
    const rest = schema.anyOf.filter((s: Json) => s.type !== "null");
    if (rest.length === 1 && rest.length < schema.anyOf.length) return { schema: { ...rest[0], description: schema.description ?? rest[0].description }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t: string) => t !== "null");
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

export function typeOf(schema: Json): { type: string; ref: string | null } {
  if (schema.$ref) return { type: refName(schema.$ref), ref: refName(schema.$ref) };
  if (schema.const !== undefined) return { type: JSON.stringify(schema.const), ref: null };
  if (Array.isArray(schema.enum)) return { type: "enum", ref: null };
  if (schema.type === "array") {
    const item = typeOf(schema.items ?? {});
    return { type: `array of ${item.type}`, ref: item.ref };
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  return { type: schema.format ? `${type} (${schema.format})` : type, ref: null };
}

export function constraintsOf(schema: Json): string[] {
  const out: string[] = [];
  if (Array.isArray(schema.enum)) out.push(`one of: ${schema.enum.map((v: unknown) => JSON.stringify(v)).join(", ")}`);
  const { minLength: min, maxLength: max } = schema;
  if (min !== undefined && min === max) out.push(`${min} characters`);
  else if (min !== undefined && max !== undefined) out.push(`${min}–${max} characters`);
  else if (max !== undefined) out.push(`at most ${max} characters`);
  else if (min !== undefined && min > 0) out.push(`at least ${min} characters`);
  if (schema.exclusiveMinimum !== undefined) out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined && schema.minimum > -SAFE) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < SAFE) out.push(`≤ ${schema.maximum}`);
  if (schema.pattern && !schema.format) out.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

function field(name: string, raw: Json, required: boolean, description?: string): FieldView {
  const { schema, nullable } = unwrap(raw);
  const { type, ref } = typeOf(schema);
  return { name, type, ref, required, nullable, constraints: constraintsOf(schema), description: description ?? raw.description ?? schema.description ?? null };
}

/** An object's fields, a nested object's as `parent.child` (the error's `error.type`). */
export function fieldsOf(doc: Json, schema: Json, prefix = ""): FieldView[] {
  const object = resolve(doc, schema);
  const required: string[] = object.required ?? [];
  return Object.entries((object.properties ?? {}) as Record<string, Json>).flatMap(([name, property]) => {
    const here = field(`${prefix}${name}`, property, required.includes(name));
    return property.type === "object" && property.properties ? [here, ...fieldsOf(doc, property, `${prefix}${name}.`)] : [here];
  });
}

function operationView(doc: Json, method: string, path: string, op: Json): OperationView {
  const params = (op.parameters ?? []).map((p: Json) => resolve(doc, p));
  const byPlace = (place: string) => params.filter((p: Json) => p.in === place).map((p: Json) => field(p.name, p.schema, p.required ?? false, p.description));
  const responses = Object.entries(op.responses as Record<string, Json>);
  const [status, success] = responses.find(([s]) => s.startsWith("2"))!;
  const schemaOf = (r: Json) => r.content?.["application/json"]?.schema ?? {};
  return {
    id: op.operationId,
    method: method.toUpperCase(),
    path,
    summary: op.summary,
    description: op.description ?? "",
    pathParams: byPlace("path"),
    query: byPlace("query"),
    headers: byPlace("header"),
    body: op.requestBody ? fieldsOf(doc, schemaOf(op.requestBody)) : [],
    response: { status, description: success.description, object: schemaOf(success).$ref ? refName(schemaOf(success).$ref) : null, headers: Object.keys(success.headers ?? {}) },
    errors: responses
      .filter(([s]) => !s.startsWith("2"))
      .map(([s, r]) => ({ status: s, description: r.description, codes: r["x-error-codes"] ?? [], headers: Object.keys(r.headers ?? {}) })),
  };
}

export function referenceView(doc: Json): ReferenceView {
  const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => operationView(doc, method, path, op as Json)));
  const tags: string[] = (doc.tags ?? []).map((t: Json) => t.name);
  return {
    serverUrl: doc.servers?.[0]?.url ?? "",
    groups: tags.map((tag) => ({ tag, operations: operations.filter((o) => (doc.paths[o.path][o.method.toLowerCase()].tags ?? []).includes(tag)) })),
    objects: Object.entries(doc.components.schemas as Record<string, Json>).map(([name, schema]) => ({ name, description: schema.description ?? null, fields: fieldsOf(doc, schema) })),
  };
}
