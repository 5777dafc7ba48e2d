import { describe, expect, it } from "vitest";
import { addDays, localDay, startOfLocalDay } from "./local-day";

describe("store-local days", () => {
  it("puts a Nairobi 01:30 (22:30 UTC the day before) on its local day, Abidjan's on the UTC day", () => {
    const at = new Date("2026-12-06T22:30:00Z");
    expect(localDay(at, "Africa/Nairobi")).toBe("2026-12-07");
    expect(localDay(at, "Africa/Abidjan")).toBe("2026-12-06");
  });

  it("starts a day at the store's midnight", () => {
    expect(startOfLocalDay("2026-12-01", "Africa/Nairobi").toISOString()).toBe("2026-11-30T21:00:00.000Z");
    expect(startOfLocalDay("2026-12-01", "Africa/Abidjan").toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(startOfLocalDay("2026-12-01", "America/Sao_Paulo").toISOString()).toBe("2026-12-01T03:00:00.000Z");
    // Across a DST change: Paris is UTC+1 in winter, UTC+2 in summer.
    expect(startOfLocalDay("2026-03-29", "Europe/Paris").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfLocalDay("2026-03-30", "Europe/Paris").toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });

  it("counts calendar days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});
