import { describe, expect, it } from "vitest";
import { activeFilterChips } from "./filter-chips";
import { parseOrderFilters } from "./filters";

const chipsOf = (raw: Record<string, string>) => activeFilterChips(raw, parseOrderFilters(raw, { currency: "XOF", timeZone: "Africa/Abidjan" }));

describe("the orders list's filter chips", () => {
  it("shows one chip per filter in force, each removing only itself and keeping the sort", () => {
    const chips = chipsOf({ status: "paid", provider: "cinetpay", min: "1000", sort: "amount", dir: "asc", cursor: "abc" });
    expect(chips.map((c) => c.key)).toEqual(["status", "provider", "min"]);
    expect(chips.find((c) => c.key === "status")!.removeHref).toBe("/dashboard/orders?provider=cinetpay&min=1000&sort=amount&dir=asc");
    expect(chips.find((c) => c.key === "min")!.removeHref).toBe("/dashboard/orders?status=paid&provider=cinetpay&sort=amount&dir=asc");
  });

  it("the last chip's link is the unfiltered list", () => {
    expect(chipsOf({ q: "H00012" })).toEqual([{ key: "q", removeHref: "/dashboard/orders" }]);
  });

  it("shows no chip for a value the list ignores", () => {
    expect(chipsOf({ status: "nope", min: "abc", from: "2026-99-99", sort: "amount" })).toEqual([]);
  });
});
