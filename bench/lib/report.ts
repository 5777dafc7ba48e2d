/** What each benchmark hands back; bench/run.ts prints it and writes bench/RESULTS.md. */
export type Row = {
  metric: string;
  value: string;
  /** The figure it is compared with: a baseline measured in the same run, or Next's floor. */
  baseline?: string;
  goal?: string;
  /** undefined when the row has no goal. */
  pass?: boolean;
  /** A correctness rule rather than a goal: a failing one fails the bench run. */
  invariant?: boolean;
};

export type Section = {
  id: string;
  title: string;
  conditions: string[];
  rows: Row[];
  /** Headers of the value and baseline columns, when they hold two runs rather than a figure and its baseline. */
  columns?: string[];
  /** Extra material printed verbatim (EXPLAIN plans…). */
  details?: { title: string; body: string }[];
  notes?: string[];
};

export function printSection(section: Section): void {
  console.log(`\n== ${section.title}`);
  for (const c of section.conditions) console.log(`   ${c}`);
  for (const r of section.rows) {
    const verdict = r.pass === undefined ? "" : r.pass ? "  PASS" : "  FAIL";
    const extra = [r.baseline && `${section.columns?.[1] ?? "baseline"} ${r.baseline}`, r.goal && `goal ${r.goal}`].filter(Boolean).join(", ");
    console.log(`   ${r.metric.padEnd(48)} ${r.value.padStart(16)}${extra ? `  (${extra})` : ""}${verdict}`);
  }
  for (const n of section.notes ?? []) console.log(`   note: ${n}`);
}

/** Invariant rows that failed: the bench run fails with them. */
export function brokenInvariants(section: Section): Row[] {
  return section.rows.filter((r) => r.invariant && r.pass === false);
}

export function sectionMarkdown(section: Section): string {
  const lines = [`## ${section.title}`, "", ...section.conditions.map((c) => `- ${c}`), ""];
  const [value, baseline] = section.columns ?? ["value", "baseline / floor"];
  lines.push(`| metric | ${value} | ${baseline} | goal | verdict |`, "|---|---:|---:|---|---|");
  for (const r of section.rows) {
    lines.push(`| ${r.metric} | ${r.value} | ${r.baseline ?? ""} | ${r.goal ?? ""} | ${r.pass === undefined ? "" : r.pass ? "pass" : "**fail**"} |`);
  }
  for (const n of section.notes ?? []) lines.push("", n);
  for (const d of section.details ?? []) lines.push("", `<details><summary>${d.title}</summary>`, "", "```", d.body.trimEnd(), "```", "", "</details>");
  return lines.join("\n") + "\n";
}
