import { describe, expect, it } from "vitest";
import { parseSearch, searchPlan } from "./search";

describe("orders search", () => {
  it("refuses what cannot be searched by index, with a reason, and treats an empty box as no search", () => {
    expect(parseSearch("a")).toEqual({ error: "search_too_short" });
    expect(parseSearch(" 12 ")).toEqual({ error: "search_too_short" });
    expect(parseSearch("x".repeat(101))).toEqual({ error: "search_too_long" });
    expect(parseSearch("awa\u0000")).toEqual({ error: "search_invalid" });
    expect(parseSearch(["NCK6UR", "x"])).toEqual({ q: "NCK6UR" });
    expect(parseSearch("   ")).toEqual({});
    expect(parseSearch(undefined)).toEqual({});
  });

  it("reads a reference fragment in any case", () => {
    expect(searchPlan("nck6ur")).toMatchObject({ referenceFragment: "NCK6UR", nameFragment: "nck6ur" });
    expect(searchPlan("7-NCK")).toMatchObject({ referenceFragment: "7-NCK" });
    expect(searchPlan("261207")).toMatchObject({ referenceFragment: "261207", phoneSuffix: "261207" });
  });

  it("reads the last digits of a phone however they are typed", () => {
    for (const typed of ["712 345 678", "+254712345678", "+254 712 345 678", "0712345678", "(0712) 345-678"]) {
      expect("254712345678".endsWith(searchPlan(typed).phoneSuffix!), typed).toBe(true);
      expect(searchPlan(typed).phoneSuffix!.length, typed).toBeGreaterThanOrEqual(9);
    }
    expect(searchPlan("345678").phoneSuffix).toBe("345678");
    expect(searchPlan("345").phoneSuffix).toBeUndefined();
    expect(searchPlan("Awa Diallo").phoneSuffix).toBeUndefined();
  });

  it("reads an e-mail as an e-mail only", () => {
    expect(searchPlan("Awa@Example")).toEqual({ emailPrefix: "awa@example", exact: ["Awa@Example", "AWA@EXAMPLE"] });
  });
});
