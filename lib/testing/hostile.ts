import fc from "fast-check";

/**
 * Hostile input for the fuzz suites (lib/security/*.integration.test.ts): what a stranger can
 * type or send, built from fast-check arbitraries. FUZZ_SEED replays a run, FUZZ_RUNS makes it
 * longer; a failure prints its seed and path.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261207);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** A C0 control character, NUL (the one PostgreSQL refuses outright) a third of the time. */
export const controlChar = fc.oneof(fc.constant("\u0000"), fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), fc.constant("\u0000"));

/** A plausible value spoiled by a control character somewhere inside it. */
export const spoiled = (values: fc.Arbitrary<string>) =>
  fc.tuple(values, controlChar, fc.nat()).map(([v, c, at]) => v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1)));

/** Strings as they would be typed, mixed with control characters, quotes, SQL and huge numbers. */
export const nasty = fc.oneof(
  fc.constantFrom("", "0", "-1", "1e308", "9".repeat(400), "NaN", "null", "' OR 1=1 --", "%", "%00", "%ZZ", "\u0000", "\ud800", "é", "../../etc/passwd"),
  fc.string({ maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 4 }), controlChar, fc.string({ maxLength: 4 })).map(([a, c, b]) => a + c + b),
);

/** A value a URL or a form carries: lone surrogates cannot be percent-encoded. */
export const wellFormed = (value: string) => value.replace(/[\ud800-\udfff]/g, "x");

/** A path segment or query value: percent-encoded, or raw bytes the client never should send. */
export const encoded = fc.oneof(
  { weight: 3, arbitrary: nasty.map((v) => encodeURIComponent(wellFormed(v))) },
  { weight: 1, arbitrary: fc.constantFrom("%FF", "%C3%28", "%ED%A0%80", "%00", "%0A", "\xff\xfe", "\xc3\x28", "a\x01b", "a b") },
);

export const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 1e-320);

/** A real id (of either merchant) most of the time, or a hostile string in its place. */
export function idOr(ids: readonly string[], hostile = nasty): fc.Arbitrary<string> {
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: hostile });
}

/** Prints what a fuzz target ran, so a run's reach shows in CI's output. */
export function reportCases(suite: string, counts: Record<string, number>): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`fuzz ${suite}: ${total} cases (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ")}), seed ${FUZZ_SEED}`);
}
