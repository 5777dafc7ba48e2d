import { describe, expect, it } from "vitest";
import { calendarDay, storeClock } from "./store-clock";

// 15:47 UTC is 18:47 in Nairobi (EAT, UTC+3, no daylight saving) and 15:47 in Abidjan (UTC+0).
const paid = new Date("2026-12-07T15:47:05Z");

describe("storeClock", () => {
  it("reads a Nairobi order in EAT, labelled UTC+3, in each locale's one format", () => {
    const en = storeClock("en", "Africa/Nairobi");
    expect(en.dateTime(paid)).toBe("7 Dec 2026, 18:47 (UTC+3)");
    expect(en.dateTimeSeconds(paid)).toBe("7 Dec 2026, 18:47:05 (UTC+3)");
    expect(en.time(paid)).toBe("18:47 (UTC+3)");
    expect(storeClock("fr", "Africa/Nairobi").dateTime(paid)).toBe("7 déc. 2026, 18:47 (UTC+3)");
  });

  it("puts a late Nairobi evening on the next local day", () => {
    expect(storeClock("en", "Africa/Nairobi").date(new Date("2026-12-07T22:30:00Z"))).toBe("8 Dec 2026");
    expect(storeClock("en", "Africa/Abidjan").date(new Date("2026-12-07T22:30:00Z"))).toBe("7 Dec 2026");
  });

  it("labels Abidjan and an unknown zone UTC", () => {
    expect(storeClock("fr", "Africa/Abidjan").dateTime(paid)).toBe("7 déc. 2026, 15:47 (UTC)");
    expect(storeClock("en", "Mars/Olympus").dateTime(paid)).toBe("7 Dec 2026, 15:47 (UTC)");
  });

  it("follows daylight saving at the instant shown", () => {
    const paris = storeClock("en", "Europe/Paris");
    expect(paris.offset(new Date("2026-07-01T12:00:00Z"))).toBe("UTC+2");
    expect(paris.offset(new Date("2026-12-01T12:00:00Z"))).toBe("UTC+1");
  });
});

describe("calendarDay", () => {
  it("formats a settlement date as the same day in each locale, whatever the zone", () => {
    expect(calendarDay("fr", "2026-12-01")).toBe("1 déc. 2026");
    expect(calendarDay("en", "2026-12-31")).toBe("31 Dec 2026");
    expect(calendarDay("en", "not a date")).toBe("not a date");
  });
});
