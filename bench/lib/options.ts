/**
 * `npm run bench [-- --quick] [--only=notify,dashboard] [--rebuild] [--ci] [--key=value…]`
 * `--ci`: the short run `npm test` makes after its own `next build`: implies --quick, uses that
 * build as it is, writes no results, and fails when an invariant row fails.
 * Any other `--key=value` is a bench's own setting (e.g. `--minutes=10` for the soak).
 */
export type BenchOptions = { quick: boolean; only: string[] | null; rebuild: boolean; ci: boolean; settings: Record<string, string> };

export function parseOptions(argv: string[]): BenchOptions {
  const settings: Record<string, string> = {};
  for (const arg of argv) {
    const match = /^--([a-z][a-z-]*)=(.*)$/.exec(arg);
    if (match && match[1] !== "only") settings[match[1]!] = match[2]!;
  }
  const only = argv.find((a) => a.startsWith("--only="));
  const ci = argv.includes("--ci");
  return {
    quick: ci || argv.includes("--quick"),
    rebuild: argv.includes("--rebuild"),
    ci,
    only: only ? only.slice("--only=".length).split(",").filter(Boolean) : null,
    settings,
  };
}

/** A numeric setting (`--name=value`), else the fallback. */
export function numberSetting(options: BenchOptions, name: string, fallback: number): number {
  const raw = options.settings[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}
