import { filtersToQuery, type OrderFilters } from "./filters";

type RawParams = Record<string, string | string[] | undefined>;

/** The filters a chip can show, in the order the chips read. */
export const CHIP_KEYS = ["q", "status", "provider", "method", "from", "to", "min", "max"] as const;
export type ChipKey = (typeof CHIP_KEYS)[number];

export type FilterChip = { key: ChipKey; removeHref: string };

/**
 * One chip per filter in force, each with the link that drops it and keeps the others (and the
 * sort). Only filters the page really applies get a chip: a value parseOrderFilters dropped (a
 * hand-edited "status=nope") filters nothing, so it is not shown as if it did.
 */
export function activeFilterChips(raw: RawParams, filters: OrderFilters): FilterChip[] {
  const applied: Record<ChipKey, unknown> = {
    q: filters.q,
    status: filters.status,
    provider: filters.provider,
    method: filters.method,
    from: filters.from,
    to: filters.to,
    min: filters.minMinor,
    max: filters.maxMinor,
  };
  return CHIP_KEYS.filter((key) => applied[key] !== undefined).map((key) => ({ key, removeHref: `/dashboard/orders${filtersToQuery(raw, { [key]: undefined })}` }));
}
