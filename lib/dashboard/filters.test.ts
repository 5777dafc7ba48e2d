import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, filtersToQuery, parseOrderFilters } from "./filters";

describe("orders filters from the URL", () => {
  it("keeps valid values and turns amounts typed in major units into minor units", () => {
    const f = parseOrderFilters({ status: "paid", provider: "kkiapay", method: "mtn", from: "2026-01-01", to: "2026-02-01", min: "1 000", max: "12,50", q: " H00012 ", sort: "amount", dir: "asc" }, { currency: "KES", timeZone: "Africa/Nairobi" });
    expect(f).toMatchObject({ status: "paid", provider: "kkiapay", method: "mtn", from: "2026-01-01", to: "2026-02-01", minMinor: 1250, maxMinor: 100000, q: "H00012", sort: "amount", dir: "asc" });
  });

  it("drops what it cannot read instead of failing", () => {
    const f = parseOrderFilters({ status: "bogus", provider: "paypal", method: "DROP TABLE", from: "2026-13-45", min: "abc", sort: "x", dir: "sideways", cursor: "%%%" }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    expect(f).toEqual({ sort: "created", dir: "desc", status: undefined, provider: undefined, method: undefined, from: undefined, to: undefined, createdFrom: undefined, createdBefore: undefined, minMinor: undefined, maxMinor: undefined, q: undefined, qError: undefined, cursor: undefined });
    expect(parseOrderFilters({ status: ["paid", "failed"] }, { currency: "XOF", timeZone: "Africa/Abidjan" }).status).toBe("paid");
    expect(parseOrderFilters({ min: "12,50" }, { currency: "XOF", timeZone: "Africa/Abidjan" }).minMinor).toBeUndefined();
  });

  it("reads days as the store's days: from its midnight to the midnight after the last day", () => {
    const nairobi = parseOrderFilters({ from: "2026-12-01", to: "2026-12-07" }, { currency: "KES", timeZone: "Africa/Nairobi" });
    expect(nairobi.createdFrom?.toISOString()).toBe("2026-11-30T21:00:00.000Z");
    expect(nairobi.createdBefore?.toISOString()).toBe("2026-12-07T21:00:00.000Z");
    const abidjan = parseOrderFilters({ from: "2026-12-01", to: "2026-12-07" }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    expect(abidjan.createdFrom?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(abidjan.createdBefore?.toISOString()).toBe("2026-12-08T00:00:00.000Z");
  });

  it("says why a search was not run and keeps the other filters", () => {
    expect(parseOrderFilters({ q: "7", status: "paid" }, { currency: "XOF", timeZone: "Africa/Abidjan" })).toMatchObject({ q: undefined, qError: "search_too_short", status: "paid" });
  });

  it("swaps reversed ranges", () => {
    const f = parseOrderFilters({ from: "2026-03-01", to: "2026-01-01", min: "900", max: "100" }, { currency: "XOF", timeZone: "Africa/Abidjan" });
    expect(f).toMatchObject({ from: "2026-01-01", to: "2026-03-01", minMinor: 100, maxMinor: 900 });
  });

  it("only accepts a cursor of the current sort order", () => {
    const dateCursor = encodeCursor({ v: "2026-01-01T00:00:00.000Z", id: "ord_1" });
    expect(decodeCursor(dateCursor, "created")).toEqual({ v: "2026-01-01T00:00:00.000Z", id: "ord_1" });
    expect(decodeCursor(dateCursor, "amount")).toBeUndefined();
    expect(decodeCursor(encodeCursor({ v: 500, id: "ord_1" }), "amount")).toEqual({ v: 500, id: "ord_1" });
    expect(decodeCursor(Buffer.from("{not json").toString("base64url"), "created")).toBeUndefined();
    expect(decodeCursor(encodeCursor({ v: "2026-11-22 22:13:20.123456+00", id: "ord_1" }), "created")?.v).toBe("2026-11-22 22:13:20.123456+00");
    expect(decodeCursor(encodeCursor({ v: "yesterday", id: "ord_1" }), "created")).toBeUndefined();
  });

  it("writes the query back without the cursor unless one is given", () => {
    expect(filtersToQuery({ status: "paid", q: "a b", cursor: "xyz" })).toBe("?status=paid&q=a+b");
    expect(filtersToQuery({ status: "paid" }, { status: undefined, cursor: "c1" })).toBe("?cursor=c1");
  });
});
