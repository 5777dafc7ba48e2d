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

describe("spreadsheet formulas (CSV injection)", () => {
  it("prefixes free text that a spreadsheet would run with a quote, and leaves plain numbers alone", async () => {
    const { spreadsheetText } = await import("./csv");
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(spreadsheetText(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(spreadsheetText('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(spreadsheetText("+2250707070707")).toBe("+2250707070707");
    expect(spreadsheetText("-0.03")).toBe("-0.03");
    expect(spreadsheetText("Awa = Koné")).toBe("Awa = Koné");
    // White space first hides nothing from a spreadsheet that trims the cell.
    for (const hidden of [" =1+1", "   @SUM(1)", "\n=1+1", "\u00a0+HYPERLINK(1)", "\t =1", " \r\n-2+3", "\v=1", "\f=1", " +2250707070707"]) expect(spreadsheetText(hidden), JSON.stringify(hidden)).toBe(`'${hidden}`);
    expect(spreadsheetText(" leading and trailing ")).toBe(" leading and trailing ");
    expect(spreadsheetText("\nAwa")).toBe("\nAwa");
    expect(spreadsheetText("")).toBe("");
    expect(spreadsheetText(null)).toBe(null);
  });

  it("lists every first character a formula can be found behind (the export tests nothing else with a regex)", async () => {
    const { FORMULA_FIRST_CODES, FORMULA_START } = await import("./csv");
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      if (FORMULA_START.test(`${c}=1`) || FORMULA_START.test(c)) expect(FORMULA_FIRST_CODES, `U+${code.toString(16)}`).toContain(code);
    }
  });
});
