import { describe, expect, it } from "vitest";
import { maskedForShopper } from "./phone";

const spaced = (text: string) => text.replace(/\u00a0/g, " ");

describe("a phone number shown to the shopper", () => {
  it("keeps the country code and enough digits at both ends to spot a typo", () => {
    expect(spaced(maskedForShopper("+254712345456"))).toBe("+254 712 ••• 456");
    expect(spaced(maskedForShopper("+2250707070707"))).toBe("+225 070 ••• 707");
    expect(spaced(maskedForShopper("+2290197000000"))).toBe("+229 019 ••• 000");
  });

  it("never breaks across lines", () => {
    expect(maskedForShopper("+254712345456")).not.toMatch(/ /);
  });

  it("hides the middle of whatever it cannot parse, and never shows a short number whole", () => {
    expect(spaced(maskedForShopper("712345456"))).toBe("712 ••• 456");
    expect(spaced(maskedForShopper("12345"))).toBe("••• 345");
  });
});
