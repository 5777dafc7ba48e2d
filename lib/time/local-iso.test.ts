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
});
