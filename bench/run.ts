/**
 * `npm run bench` — every benchmark, one after the other on this machine, then bench/RESULTS.md.
 * `--quick` runs each at a small scale (a smoke run, figures written to bench/.quick/ only);
 * `--only=notify,init,dashboard,weight` runs a subset and updates just those sections.
 */
import { mkdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "./lib/app";
import { describeMachine } from "./lib/machine";
import { parseOptions, type BenchOptions } from "./lib/options";
import { printSection, sectionMarkdown, type Section } from "./lib/report";

export type BenchContext = { options: BenchOptions };

type Bench = { id: string; load: () => Promise<{ run: (ctx: BenchContext) => Promise<Section> }> };

const BENCHES: Bench[] = [
  { id: "notify", load: () => import("./notify") },
  { id: "init", load: () => import("./init") },
  { id: "dashboard", load: () => import("./dashboard") },
  { id: "weight", load: () => import("./weight") },
];

const options = parseOptions(process.argv.slice(2));
const started = performance.now();
const dir = path.join(import.meta.dirname, options.quick ? ".quick" : "results");
mkdirSync(dir, { recursive: true });

const build = await ensureBuild(options.rebuild);
if (build.built) console.log(`next build took ${build.seconds.toFixed(0)} s`);

let failed = false;
for (const bench of BENCHES) {
  if (options.only && !options.only.includes(bench.id)) continue;
  const benchStarted = performance.now();
  try {
    const section = await (await bench.load()).run({ options });
    const seconds = (performance.now() - benchStarted) / 1000;
    section.conditions.push(`Run on ${new Date().toISOString().slice(0, 10)} in ${seconds.toFixed(0)} s${options.quick ? " (--quick)" : ""}.`);
    printSection(section);
    writeFileSync(path.join(dir, `${bench.id}.md`), sectionMarkdown(section));
  } catch (error) {
    failed = true;
    console.error(`\n== ${bench.id} failed:`, error);
  }
}

const machine = await describeMachine();
const sections = BENCHES.map((b) => path.join(dir, `${b.id}.md`)).filter(existsSync).map((f) => readFileSync(f, "utf8"));
const target = options.quick ? path.join(dir, "RESULTS.md") : path.join(import.meta.dirname, "RESULTS.md");
writeFileSync(
  target,
  [
    "# Benchmark results",
    "",
    `Machine: ${machine}. Produced by \`npm run bench\`${options.quick ? " -- --quick" : ""}; each section says when it last ran.`,
    "How each figure is taken is described at the top of its script in bench/.",
    "",
    ...sections,
  ].join("\n"),
);
console.log(`\nwrote ${path.relative(process.cwd(), target)} in ${((performance.now() - started) / 1000).toFixed(0)} s total`);
if (failed) process.exitCode = 1;
