/** `npm run bench [-- --quick] [--only=notify,dashboard] [--rebuild]` */
export type BenchOptions = { quick: boolean; only: string[] | null; rebuild: boolean };

export function parseOptions(argv: string[]): BenchOptions {
  const only = argv.find((a) => a.startsWith("--only="));
  return {
    quick: argv.includes("--quick"),
    rebuild: argv.includes("--rebuild"),
    only: only ? only.slice("--only=".length).split(",").filter(Boolean) : null,
  };
}
