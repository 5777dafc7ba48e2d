import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage } from "./locale";

describe("locale", () => {
  it("follows the browser's ranked preference and falls back to French", () => {
    expect(localeFromAcceptLanguage("en-KE,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-CI,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(localeFromAcceptLanguage("de-DE,en;q=0.5,fr;q=0.7")).toBe("fr");
    expect(localeFromAcceptLanguage("sw")).toBe("fr");
    expect(localeFromAcceptLanguage(null)).toBe("fr");
  });

  it("has the same message keys in French and English", () => {
    const keys = (file: string) => {
      const flat = (o: object, prefix = ""): string[] =>
        Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? flat(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
      return flat(JSON.parse(readFileSync(new URL(`./messages/${file}.json`, import.meta.url), "utf8"))).sort();
    };
    expect(keys("en")).toEqual(keys("fr"));
  });
});
