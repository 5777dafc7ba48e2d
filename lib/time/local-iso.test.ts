import { describe, expect, it } from "vitest";
import { localIsoFormatter } from "./local-iso";

describe("localIsoFormatter", () => {
  it("writes the store's wall clock with its offset, to the second", () => {
    const at = new Date("2026-12-07T15:47:05.999Z");
    expect(localIsoFormatter("Africa/Nairobi")(at)).toBe("2026-12-07T18:47:05+03:00");
    expect(localIsoFormatter("Africa/Abidjan")(at)).toBe("2026-12-07T15:47:05+00:00");
    expect(localIsoFormatter("Not/AZone")(at)).toBe("2026-12-07T15:47:05+00:00");
    expect(localIsoFormatter("America/St_Johns")(at)).toBe("2026-12-07T12:17:05-03:30");
  });

  it("crosses midnight and a daylight-saving change as the zone does", () => {
    expect(localIsoFormatter("Africa/Nairobi")(new Date("2026-12-31T22:00:00Z"))).toBe("2027-01-01T01:00:00+03:00");
    const paris = localIsoFormatter("Europe/Paris");
    expect(paris(new Date("2026-03-29T00:59:59Z"))).toBe("2026-03-29T01:59:59+01:00");
    expect(paris(new Date("2026-03-29T01:00:00Z"))).toBe("2026-03-29T03:00:00+02:00");
  });

  it("agrees with Intl value by value, whatever order the instants come in (the day and offset it keeps from the last one)", () => {
    const reference = (timeZone: string) => {
      const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "longOffset" });
      return (d: Date) => {
        const p = Object.fromEntries(format.formatToParts(d).map((x) => [x.type, x.value]));
        const offset = p.timeZoneName === "GMT" ? "+00:00" : p.timeZoneName!.slice(3);
        return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
      };
    };
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const base = Date.UTC(2026, 2, 28, 22);
    // Sorted runs (as an export reads them), jumps back and forth, and instants before 1970.
    const instants = [
      ...Array.from({ length: 400 }, (_, i) => base + i * 997_003),
      // 1941–2065: earlier, some zones were on local mean time, offsets with seconds that no export shows.
      ...Array.from({ length: 400 }, () => Math.floor(-9e11 + random() * 3.9e12)),
      ...Array.from({ length: 200 }, (_, i) => base - (i % 2 ? 1 : -1) * i * 3_600_000 + 999),
    ];
    for (const zone of ["Africa/Abidjan", "Africa/Nairobi", "Africa/Casablanca", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "UTC"]) {
      const at = localIsoFormatter(zone);
      const want = reference(zone);
      for (const ms of instants) expect(at(new Date(ms)), `${zone} ${new Date(ms).toISOString()}`).toBe(want(new Date(ms)));
    }
  });
});
