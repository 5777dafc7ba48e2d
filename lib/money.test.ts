import { describe, expect, it } from "vitest";
import { assertMinor, formatMoney, parseMoney } from "./money";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("writes CFA francs the way people do, in both languages", () => {
    expect(plain(formatMoney(5000, "XOF", "fr"))).toBe("5 000 F CFA");
    expect(plain(formatMoney(5000, "XOF", "en"))).toBe("5 000 F CFA");
    expect(plain(formatMoney(1250000, "XAF", "fr"))).toBe("1 250 000 F CFA");
    expect(plain(formatMoney(100, "XOF"))).toBe("100 F CFA");
  });

  it("writes shillings with cents", () => {
    expect(plain(formatMoney(125000, "KES", "en"))).toBe("KES 1,250.00");
    expect(plain(formatMoney(5, "KES", "en"))).toBe("KES 0.05");
    expect(plain(formatMoney(125000, "KES", "fr"))).toBe("1 250,00 KES");
    expect(plain(formatMoney(-125000, "KES", "en"))).toBe("-KES 1,250.00");
  });

  it("never breaks an amount across lines", () => {
    expect(formatMoney(5000, "XOF")).not.toContain(" ");
  });

  it("refuses non-integer amounts", () => {
    expect(() => formatMoney(10.5, "XOF")).toThrow(RangeError);
    expect(() => assertMinor(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe("parseMoney", () => {
  it("reads what people type, without floats", () => {
    expect(parseMoney("5 000", "XOF")).toBe(5000);
    expect(parseMoney("1,250.50", "KES")).toBe(125050);
    expect(parseMoney("1 250,5", "KES")).toBe(125050);
    expect(parseMoney("1250", "KES")).toBe(125000);
    expect(parseMoney("0.07", "KES")).toBe(7);
  });

  it("rejects what is not an amount for the currency", () => {
    expect(parseMoney("12.5", "XOF")).toBeNull();
    expect(parseMoney("abc", "XOF")).toBeNull();
    expect(parseMoney("-5", "XOF")).toBeNull();
    expect(parseMoney("", "KES")).toBeNull();
    expect(parseMoney("1.234", "KES")).toBe(123400);
  });
});
