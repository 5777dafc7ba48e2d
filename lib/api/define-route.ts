import type { z } from "zod";
import type { ApiCall } from "./deps";
import type { Answer } from "./idempotency";

/**
 * One operation of the merchant API, as the router serves it and as the OpenAPI document
 * describes it (lib/api/registry.ts holds the list). The router validates `query` and `body` with
 * these very schemas before the handler runs, and the spec is generated from them: what is
 * documented is what is checked.
 */
export const API_PREFIX = "/api/v1";

export type ApiMethod = "GET" | "POST" | "DELETE";

/** An error a route may answer besides the common ones (lib/api/openapi.ts adds those). */
export type RouteError = { status: number; code: string; description: string };

export type RouteInput<Q, B> = {
  /** The path's `{…}` segments, each already a well-formed id. */
  params: Record<string, string>;
  query: Q;
  body: B;
  /** Every POST may carry one; the router replays and guards it (lib/api/idempotency.ts). */
  idempotencyKey: string | null;
};

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiRoute<Q extends z.ZodType | undefined = z.ZodType | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> = {
  method: ApiMethod;
  /** From /api/v1, with `{name}` for an id: "/payments/{id}". */
  path: `/${string}`;
  /** Stable, unique: the spec's operationId and the reference page's anchor. */
  operationId: string;
  /** The tag the reference page groups by, e.g. "Payments". */
  tag: string;
  summary: string;
  description: string;
  /** The query string (a strict object: an unknown parameter is a 400). None: the query is ignored. */
  query?: Q;
  /** The JSON body of a POST (a strict object). */
  body?: B;
  /** The success answer: its status and a schema registered in lib/api/schemas.ts (components). */
  response: { status: 200 | 201; description: string; schema: z.ZodType };
  errors?: readonly RouteError[];
  handler: (call: ApiCall, input: RouteInput<Parsed<Q>, Parsed<B>>) => Promise<Answer>;
};

/** Keeps each entry's handler typed by its own schemas; the table stores them alike. */
export function defineRoute<Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(route: ApiRoute<Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}
