import { describe, expect, it } from "vitest";
import { formatInternational, maskedForShopper, phoneProblem } from "./phone";

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

describe("why a typed number is refused", () => {
  it("says when nothing was typed", () => {
    expect(phoneProblem("", "CI")).toBe("empty");
    expect(phoneProblem("   ", "BJ")).toBe("empty");
  });

  it("tells an old 8-digit Beninese number apart, however it was typed", () => {
    expect(phoneProblem("97 00 00 00", "BJ")).toBe("benin_add_01");
    expect(phoneProblem("+229 97 00 00 00", "BJ")).toBe("benin_add_01");
    expect(phoneProblem("0022997000000", "BJ")).toBe("benin_add_01");
    expect(phoneProblem("01 97 00 00 00", "BJ")).toBeNull();
  });

  it("keeps the plain refusal for other invalid numbers, and 8 digits elsewhere", () => {
    expect(phoneProblem("123", "BJ")).toBe("invalid");
    expect(phoneProblem("97 00 00 00", "CI")).toBe("invalid");
    expect(phoneProblem("07 07 07 07 07", "CI")).toBeNull();
  });
});

describe("a number as the merchant dials it", () => {
  it("groups the international number; keeps what it cannot read", () => {
    expect(formatInternational("+2290197000000")).toBe("+229 01 97 00 00 00");
    expect(formatInternational("+254712345678")).toBe("+254 712 345678");
    expect(formatInternational("12")).toBe("12");
  });
});
