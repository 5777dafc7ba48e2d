import { describe, expect, it } from "vitest";
import { inlineParams, quoteLiteral } from "./sql-literal";

describe("SQL literals for COPY", () => {
  it("quotes like quote_literal(): doubled quotes, E'' with doubled backslashes only when needed", () => {
    expect(quoteLiteral("plain")).toBe("'plain'");
    expect(quoteLiteral("d'Ivoire")).toBe("'d''Ivoire'");
    expect(quoteLiteral("a\\b'c")).toBe("E'a\\\\b''c'");
    expect(quoteLiteral("'); drop table orders; --")).toBe("'''); drop table orders; --'");
    expect(() => quoteLiteral("nul\0")).toThrow(RangeError);
  });

  it("replaces each placeholder once, never inside quotes, and refuses what it cannot place", () => {
    expect(inlineParams(`select $1, $2, $10 from "t$1" where x = '$1' or y = 'it''s $2'`, ["$2", 5, true, null, null, null, null, null, null, 10n])).toBe(
      `select '$2', '5', '10' from "t$1" where x = '$1' or y = 'it''s $2'`,
    );
    expect(inlineParams("select $1", [null])).toBe("select NULL");
    expect(() => inlineParams("select $2", ["a"])).toThrow(SyntaxError);
    expect(() => inlineParams("select $$x$$", [])).toThrow(SyntaxError);
    expect(() => inlineParams("select 'open", [])).toThrow(SyntaxError);
    expect(() => inlineParams("select $1", [new Date()])).toThrow(TypeError);
    expect(() => inlineParams("select $1", [Number.NaN])).toThrow(TypeError);
  });
});
