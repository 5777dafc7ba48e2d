import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FUZZ_RUNS, FUZZ_SEED, reportCases } from "@/lib/testing/hostile";
import { formActionRefusal, replyRefusal, type ReplyPart } from "./action-reply";

type Reply = string | [string, string][];

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as { encodeReply: (value: unknown) => Promise<string | FormData> };

/** What React's server build makes of each reply, as Next runs it (lib/testing/react-decode.mjs). */
function decodedByReact(replies: Reply[]): string[] {
  const out = execFileSync(process.execPath, ["--conditions=react-server", "lib/testing/react-decode.mjs"], { input: JSON.stringify(replies), encoding: "utf8" });
  return JSON.parse(out) as string[];
}

const refusal = (reply: Reply) => replyRefusal(typeof reply === "string" ? [["0", reply]] : reply);

async function encoded(args: unknown[]): Promise<Reply> {
  const reply = await encodeReply(args);
  return typeof reply === "string" ? reply : ([...reply.entries()] as [string, string][]);
}

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
}

/** Bodies Next answered with a 500 before the proxy refused them (issue 13). */
const CRAFTED: Reply[] = [
  ...['["$Q1"]', '["$W1"]', '["$B1"]', '["$h1"]', '["$1:a:b"]', '["$i1"]', '["$A1"]', '["$o1"]', '["$V1"]', '["$S1"]', '["$1"]', '["$0:x"]', '{"a":"$Q0"}', '["$Q0"]', '["$nx"]', '["$"]', '["$zz"]'],
  [["0", '["$Q5"]']],
  [["_1_locale", "en"]],
  [["1", "{"], ["0", '["$1"]']],
  [["1", '["$Q9"]'], ["0", '["$1"]']],
  [["0", '["$1"]'], ["1", "[]"]],
];

describe("server action replies (React's reply format) screened before Next decodes them", () => {
  it("accepts what React's own client encodes for the app's forms", async () => {
    const replies = await Promise.all([
      encoded([form({ locale: "en" })]),
      encoded([null, form({ link: "lnk_demoMontantLibre000001", amount: "5000", phone: "+225 07 00 00 00 00" })]),
      encoded([{}, form({ order: "ord_1", method: "cinetpay.mobile_money.hosted" })]),
      encoded([{ error: "$ refusé", fieldErrors: { amount: ["trop petit"] }, values: { name: "$$x", note: undefined } }, form({ amount: "-1", name: "=HYPERLINK()" })]),
      encoded([{ ok: true, at: new Date(0), n: Number.NaN, inf: -Infinity, zero: -0 }, form({})]),
    ]);
    expect(replies.map(refusal)).toEqual(replies.map(() => null));
    expect(decodedByReact(replies)).toEqual(replies.map(() => "ok"));
  });

  it("refuses references React cannot resolve, each of which React itself fails to decode", () => {
    expect(CRAFTED.filter((reply) => refusal(reply) === null)).toEqual([]);
    expect(decodedByReact(CRAFTED).filter((result) => result === "ok")).toEqual([]);
  });

  it("refuses the types the app never sends, even when React would decode them", () => {
    const unsent: Reply[] = ['[null,"$@1"]', '[null,"$K1","$T"]', '["$n12"]', '["$H"]', [["1", "[[1,2]]"], ["0", '["$Q1"]']], [["0", "[]"], ["0", "[]"]]];
    expect(unsent.map(refusal).filter((reason) => reason === null)).toEqual([]);
  });

  it("a no-JavaScript form's bound action: its arguments' row must be there, its root must name an action", () => {
    const bound = (root: unknown, ...rows: [string, string][]): ReplyPart[] => [["$ACTION_REF_1", ""], ["$ACTION_1:0", JSON.stringify(root)], ...rows, ["$ACTION_KEY", "k0"]];
    expect(formActionRefusal(bound({ id: "40ab", bound: null }))).toBeNull();
    expect(formActionRefusal(bound({ id: "40ab", bound: "$@1" }, ["$ACTION_1:1", "[]"]))).toBeNull();
    expect(formActionRefusal(bound({ id: "40ab", bound: "$@1" }))).not.toBeNull();
    expect(formActionRefusal(bound({ id: "40ab", bound: "$Q5" }))).not.toBeNull();
    expect(formActionRefusal(bound(5))).not.toBeNull();
    // Found by e2e/fuzz-actions-http.spec.ts: Next reads bound's length whatever it is.
    for (const args of ["$u", "$u5", "x", 5]) expect(formActionRefusal(bound({ id: "40ab", bound: args }))).not.toBeNull();
    expect(formActionRefusal(bound({ id: "40ab", bound: "$@1" }, ["$ACTION_1:1", "5"]))).not.toBeNull();
    expect(formActionRefusal([["$ACTION_ID_40ab", ""], ["locale", "$Q1"]])).toBeNull();
  });

  it("whatever the screen lets through, React decodes (fast-check replies full of references)", () => {
    const types = ["", "", "$", "@", "h", "T", "Q", "W", "K", "B", "i", "I", "-", "N", "u", "D", "n", "A", "o", "V", "R", "x", "H", "z"];
    const reference = fc
      .tuple(fc.constantFrom(...types), fc.oneof(fc.integer({ min: 0, max: 4 }).map((n) => n.toString(16)), fc.string({ maxLength: 3 })), fc.array(fc.constantFrom("0", "1", "a", "x", "__proto__"), { maxLength: 2 }))
      .map(([type, id, path]) => `$${type}${id}${path.map((p) => `:${p}`).join("")}`);
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, reference, fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "x", "0"), tie("value"), { maxKeys: 2 })),
    }));
    const json = fc.oneof({ weight: 6, arbitrary: value.map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: fc.constantFrom("{", "", "[", '"$') });
    const multipart = fc
      .tuple(fc.array(fc.tuple(fc.constantFrom("0", "1", "2", "3", "_1_locale", "_2_a"), json), { maxLength: 5 }), json)
      .map(([rows, root]) => [...rows, ["0", root]] as [string, string][]);
    const replies = fc.sample(fc.oneof(json, multipart), { numRuns: FUZZ_RUNS, seed: FUZZ_SEED });
    const accepted = replies.filter((reply) => refusal(reply) === null);
    const results = decodedByReact(accepted);
    reportCases("server action replies", { "let through": accepted.length, refused: replies.length - accepted.length });
    expect(accepted.filter((_, i) => results[i] !== "ok").map((reply, i) => ({ reply, react: results[i] }))).toEqual([]);
    // The generator reaches both sides of the screen.
    expect(accepted.length).toBeGreaterThan(replies.length / 10);
    expect(accepted.length).toBeLessThan(replies.length);
  });
});
