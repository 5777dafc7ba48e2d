import { describe, expect, it } from "vitest";
import { effectiveFee, estimateFee, netAmount } from "./fees";
import { addBusinessDays, estimateSettlementDate } from "./settlement";

describe("fees", () => {
  it("estimates rate × amount, rounded half up, plus the fixed part", () => {
    expect(estimateFee(5000, { feeRateBps: 350, feeFixedMinor: 0 })).toBe(175);
    expect(estimateFee(1010, { feeRateBps: 350, feeFixedMinor: 0 })).toBe(35); // 35.35
    expect(estimateFee(1030, { feeRateBps: 350, feeFixedMinor: 0 })).toBe(36); // 36.05
    expect(estimateFee(125000, { feeRateBps: 300, feeFixedMinor: 1000 })).toBe(4750);
  });

  it("prefers the provider's reported fee and derives the net", () => {
    expect(effectiveFee(40, 175)).toBe(40);
    expect(effectiveFee(null, 175)).toBe(175);
    expect(effectiveFee(null, null)).toBeNull();
    expect(netAmount(5000, 175)).toBe(4825);
    expect(netAmount(5000, null)).toBe(5000);
  });
});

describe("settlement dates", () => {
  it("counts business days and skips weekends", () => {
    expect(addBusinessDays(new Date("2026-11-19T10:00:00Z"), 1)).toBe("2026-11-20"); // Thu → Fri
    expect(addBusinessDays(new Date("2026-11-20T10:00:00Z"), 1)).toBe("2026-11-23"); // Fri → Mon
    expect(addBusinessDays(new Date("2026-11-20T10:00:00Z"), 2)).toBe("2026-11-24");
    expect(addBusinessDays(new Date("2026-11-21T10:00:00Z"), 0)).toBe("2026-11-23"); // Sat, T+0 → Mon
    expect(addBusinessDays(new Date("2026-11-18T23:30:00Z"), 0)).toBe("2026-11-18");
  });

  it("counts from the day of payment on the store's clock", () => {
    // Friday 4 December 22:30 UTC: still Friday in Abidjan, Saturday 01:30 in Nairobi.
    const late = new Date("2026-12-04T22:30:00Z");
    expect(estimateSettlementDate(late, 0, "Africa/Abidjan")).toBe("2026-12-04");
    expect(estimateSettlementDate(late, 0, "Africa/Nairobi")).toBe("2026-12-07");
    // Monday 7 December 22:30 UTC is Tuesday in Nairobi: T+1 is Wednesday there, Tuesday in Abidjan.
    const monday = new Date("2026-12-07T22:30:00Z");
    expect(estimateSettlementDate(monday, 1, "Africa/Abidjan")).toBe("2026-12-08");
    expect(estimateSettlementDate(monday, 1, "Africa/Nairobi")).toBe("2026-12-09");
  });
});
