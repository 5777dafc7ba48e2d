import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage } from "./locale";
import { loadMessages, MESSAGE_FILES } from "./messages";

describe("locale", () => {
  it("follows the browser's ranked preference and falls back to French", () => {
    expect(localeFromAcceptLanguage("en-KE,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("fr-CI,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(localeFromAcceptLanguage("de-DE,en;q=0.5,fr;q=0.7")).toBe("fr");
    expect(localeFromAcceptLanguage("sw")).toBe("fr");
    expect(localeFromAcceptLanguage(null)).toBe("fr");
  });

  it("has the same message keys in French and English, and no namespace in two files", async () => {
    const flat = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? flat(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const read = (file: string) => JSON.parse(readFileSync(new URL(`./messages/${file}.json`, import.meta.url), "utf8")) as object;
    const namespaces: string[] = [];
    for (const suffix of MESSAGE_FILES) {
      expect(flat(read(`en${suffix}`)).sort(), `en${suffix}.json`).toEqual(flat(read(`fr${suffix}`)).sort());
      namespaces.push(...Object.keys(read(`fr${suffix}`)));
    }
    expect(new Set(namespaces).size).toBe(namespaces.length);
    expect(Object.keys(await loadMessages("fr")).sort()).toEqual([...namespaces].sort());
  });
});
