import type { BenchContext } from "./run";
import type { Section } from "./lib/report";

/** Placeholder until this benchmark lands. */
export async function run(ctx: BenchContext): Promise<Section> {
  return { id: "dashboard", title: "dashboard", conditions: [ctx.options.quick ? "quick" : "full"], rows: [], notes: ["not implemented yet"] };
}
