import { describe, expect, it } from "vitest";
import { feeRateText, parseFeeRate } from "./fee-rate";

describe("fee rate typed as a percentage", () => {
  it("reads the percentage as a merchant types it, in whole basis points without floats", () => {
    expect(parseFeeRate("3,5")).toEqual({ bps: 350 });
    expect(parseFeeRate("3.5")).toEqual({ bps: 350 });
    expect(parseFeeRate("3,5 %")).toEqual({ bps: 350 });
    expect(parseFeeRate("3,5\u202f%")).toEqual({ bps: 350 });
    expect(parseFeeRate(" 3.5% ")).toEqual({ bps: 350 });
    // 0.29 * 10000 and 1.15 * 100 are not integers in floating point: no float on the way.
    expect(parseFeeRate("0,29")).toEqual({ bps: 29 });
    expect(parseFeeRate("1.15")).toEqual({ bps: 115 });
    expect(parseFeeRate("2,01")).toEqual({ bps: 201 });
    expect(parseFeeRate("0,05")).toEqual({ bps: 5 });
    expect(parseFeeRate("2")).toEqual({ bps: 200 });
    expect(parseFeeRate("100")).toEqual({ bps: 10_000 });
    expect(parseFeeRate("100,00")).toEqual({ bps: 10_000 });
    expect(parseFeeRate("0")).toEqual({ bps: 0 });
    expect(parseFeeRate("")).toEqual({ bps: 0 });
    expect(parseFeeRate(",5")).toEqual({ bps: 50 });
  });

  it("refuses what is not a rate, each with its own reason", () => {
    expect(parseFeeRate("3,555")).toEqual({ error: "fee_rate_precision" });
    expect(parseFeeRate("0.001")).toEqual({ error: "fee_rate_precision" });
    expect(parseFeeRate("-1")).toEqual({ error: "fee_rate_range" });
    expect(parseFeeRate("-0,5 %")).toEqual({ error: "fee_rate_range" });
    expect(parseFeeRate("100,01")).toEqual({ error: "fee_rate_range" });
    expect(parseFeeRate("350")).toEqual({ error: "fee_rate_range" });
    expect(parseFeeRate("1e308")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("3,5,1")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("1 000")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("trois")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("3,")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("%")).toEqual({ error: "fee_rate_invalid" });
    expect(parseFeeRate("9".repeat(400))).toEqual({ error: "fee_rate_range" });
  });

  it("writes stored basis points back as the percentage the form shows, in the merchant's language", () => {
    expect(feeRateText(350, "fr")).toBe("3,5");
    expect(feeRateText(350, "en")).toBe("3.5");
    expect(feeRateText(29, "fr")).toBe("0,29");
    expect(feeRateText(201, "en")).toBe("2.01");
    expect(feeRateText(200, "fr")).toBe("2");
    expect(feeRateText(0, "en")).toBe("0");
    expect(feeRateText(10_000, "fr")).toBe("100");
    for (const bps of [0, 1, 5, 29, 50, 115, 190, 201, 350, 999, 10_000]) for (const locale of ["fr", "en"] as const) expect(parseFeeRate(feeRateText(bps, locale))).toEqual({ bps });
  });
});
