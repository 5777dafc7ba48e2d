import { z } from "zod";
import { paymentStatus, providerId } from "@/db/schema/enums";
import { isCurrency, parseMoney } from "@/lib/money";
import { addDays, startOfLocalDay } from "@/lib/time/local-day";
import { hasControlChars } from "@/lib/validation";
import { parseSearch, type SearchError } from "./search";

/**
 * The orders list's whole state lives in the URL. Parsing never throws: a bad value is dropped
 * (or normalised) so a hand-edited or stale link still renders a page instead of a 500.
 */
export const SORT_KEYS = ["created", "amount"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Filters on the status of the order's main payment, the one the badge shows. */
export const STATUS_FILTERS = paymentStatus.enumValues;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type OrderFilters = {
  status?: StatusFilter;
  provider?: (typeof providerId.enumValues)[number];
  method?: string;
  /** Inclusive store-local days, YYYY-MM-DD, as typed. */
  from?: string;
  to?: string;
  /** The instants they stand for: `from`'s local midnight, and the local midnight after `to`. */
  createdFrom?: Date;
  createdBefore?: Date;
  /** Minor units, parsed from what the merchant typed in major units. */
  minMinor?: number;
  maxMinor?: number;
  q?: string;
  /** Why the search text was not searched (shown at the field); the rest of the filters still apply. */
  qError?: SearchError;
  sort: SortKey;
  dir: "asc" | "desc";
  cursor?: Cursor;
};

/** Keyset position: the last row's sort value and id (the tiebreaker). */
export type Cursor = { v: string | number; id: string };

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !hasControlChars(s));

const fields = {
  status: z.enum(STATUS_FILTERS),
  provider: z.enum(providerId.enumValues),
  method: text(32).regex(/^[a-z0-9_-]+$/),
  from: day,
  to: day,
  min: text(20),
  max: text(20),
  sort: z.enum(SORT_KEYS),
  dir: z.enum(["asc", "desc"]),
  cursor: text(300),
};

type RawParams = Record<string, string | string[] | undefined>;

function pick<T>(schema: z.ZodType<T>, raw: RawParams, key: string): T | undefined {
  const value = raw[key];
  const result = schema.safeParse(Array.isArray(value) ? value[0] : value);
  return result.success ? result.data : undefined;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

const cursorSchema = z.object({ v: z.union([z.string().max(40), z.number().int()]), id: z.string().min(1).max(64).refine((s) => !hasControlChars(s)) });

/** A timestamptz as Postgres prints it (microseconds, offset) or as ISO: never anything else in SQL. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

export function decodeCursor(text: string | undefined, sort: SortKey): Cursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (!parsed.success) return undefined;
    // A cursor from the other sort order would compare a date to an amount: ignore it.
    const fits = sort === "amount" ? typeof parsed.data.v === "number" : typeof parsed.data.v === "string" && TIMESTAMP.test(parsed.data.v);
    return fits ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The store the filters are read for: its currency (amounts) and its zone (days). */
export type FilterStore = { currency: string; timeZone: string };

export function parseOrderFilters(raw: RawParams, store: FilterStore): OrderFilters {
  const { currency, timeZone } = store;
  const sort = pick(fields.sort, raw, "sort") ?? "created";
  const money = (key: string) => {
    const value = pick(fields[key as "min"], raw, key);
    return value && isCurrency(currency) ? (parseMoney(value, currency) ?? undefined) : undefined;
  };
  let from = pick(fields.from, raw, "from");
  let to = pick(fields.to, raw, "to");
  if (from && to && from > to) [from, to] = [to, from];
  let minMinor = money("min");
  let maxMinor = money("max");
  if (minMinor !== undefined && maxMinor !== undefined && minMinor > maxMinor) [minMinor, maxMinor] = [maxMinor, minMinor];
  const search = parseSearch(raw.q);
  return {
    status: pick(fields.status, raw, "status"),
    provider: pick(fields.provider, raw, "provider"),
    method: pick(fields.method, raw, "method"),
    from,
    to,
    // "From 2026-12-01" in a Nairobi store starts at its midnight, 2026-11-30T21:00Z.
    createdFrom: from ? startOfLocalDay(from, timeZone) : undefined,
    createdBefore: to ? startOfLocalDay(addDays(to, 1), timeZone) : undefined,
    minMinor,
    maxMinor,
    q: search.q,
    qError: search.error,
    sort,
    dir: pick(fields.dir, raw, "dir") ?? "desc",
    cursor: decodeCursor(pick(fields.cursor, raw, "cursor"), sort),
  };
}

/** The URL query for these filters (cursor excluded unless asked), used by links and the CSV button. */
export function filtersToQuery(raw: RawParams, overrides: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of ["status", "provider", "method", "from", "to", "min", "max", "q", "sort", "dir"]) {
    const value = key in overrides ? overrides[key] : raw[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single) params.set(key, single);
  }
  if (overrides.cursor) params.set("cursor", overrides.cursor);
  const query = params.toString();
  return query ? `?${query}` : "";
}
