import { describe, expect, it } from "vitest";
import { csvField, csvLine, majorDecimal } from "./csv";

describe("CSV pieces", () => {
  it("quotes per RFC 4180 only when needed", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('Awa "la patronne", Abidjan')).toBe('"Awa ""la patronne"", Abidjan"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvLine(["a", 1, undefined])).toBe("a,1,\r\n");
  });

  it("writes amounts as decimal strings in major units, built from the integer", () => {
    expect(majorDecimal(125000, "KES")).toBe("1250.00");
    expect(majorDecimal(5, "KES")).toBe("0.05");
    expect(majorDecimal(-1999, "KES")).toBe("-19.99");
    expect(majorDecimal(5000, "XOF")).toBe("5000");
    expect(majorDecimal(9007199254740991, "KES")).toBe("90071992547409.91");
    expect(majorDecimal(null, "XOF")).toBe("");
  });
});
