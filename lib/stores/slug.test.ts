import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKOUT_COUNTRIES } from "@/lib/payments/routing";
import { COUNTRY_PROFILES, currenciesFor, storeTimeZones } from "./countries";
import { APP_SEGMENTS, isReservedSlug, SLUG_FORMAT, slugify } from "./slug";

/** The first URL segments the app serves: app/'s folders (route groups opened, dynamic ones left out) and public/'s entries. */
function topLevelSegments(dir = path.join(process.cwd(), "app")): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("[") && !e.name.startsWith("_"))
    .flatMap((e) => (/^\(.*\)$/.test(e.name) ? topLevelSegments(path.join(dir, e.name)) : [e.name]));
}

describe("store slugs", () => {
  it("propose a URL segment from the name", () => {
    expect(slugify("Chez Awa")).toBe("chez-awa");
    expect(slugify("  Café d'Été — Cocody  ")).toBe("cafe-d-ete-cocody");
    expect(slugify("Bœuf & Cœur")).toBe("boeuf-coeur");
    expect(slugify("Ñandú Ümlaut Straße")).toBe("nandu-umlaut-strasse");
    expect(slugify("🙂🙂")).toBe("");
    expect(slugify("a".repeat(39) + " b")).toBe("a".repeat(39));
    expect(SLUG_FORMAT.test(slugify("Boutique de la Riviera Palmeraie, Abidjan Cocody"))).toBe(true);
  });

  it("reserve every top-level route of the app", () => {
    const served = [...topLevelSegments(), ...readdirSync(path.join(process.cwd(), "public")).filter((n) => !n.includes("."))];
    expect(served.length).toBeGreaterThan(5);
    for (const segment of served) expect({ segment, reserved: isReservedSlug(segment) }).toEqual({ segment, reserved: true });
    expect([...APP_SEGMENTS].sort()).toEqual(expect.arrayContaining(served.sort()));
    expect(isReservedSlug("chez-awa")).toBe(false);
  });

  it("every checkout country has a profile: its currency offered, its zone valid", () => {
    for (const country of CHECKOUT_COUNTRIES) {
      const profile = COUNTRY_PROFILES[country];
      expect(profile, country).toBeDefined();
      expect(currenciesFor(country)[0]).toBe(profile!.currency);
      expect(storeTimeZones()).toContain(profile!.timeZone);
    }
    expect(currenciesFor("CI")).toEqual(["XOF", "USD"]);
    expect(currenciesFor("BJ")).toEqual(["XOF"]);
    expect(currenciesFor("KE")).toEqual(["KES", "USD"]);
    expect(currenciesFor("FR")).toEqual([]);
  });
});
