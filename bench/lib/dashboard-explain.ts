/**
 * EXPLAIN (ANALYZE, BUFFERS) of the very SQL the dashboard runs: the lib/dashboard functions the
 * pages call are run here against the bench database through a drizzle instance whose logger
 * records each statement and its parameters, then each statement is explained with those values.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";

export type ExplainCase = { label: string; run: (db: Db) => Promise<unknown> };
export type Explained = { label: string; sql: string; params: unknown[]; executionMs: number; plan: string };

export async function explainCases(url: string, cases: ExplainCase[]): Promise<Explained[]> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(client, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
  }) as unknown as Db;
  const out: Explained[] = [];
  try {
    for (const c of cases) {
      captured = [];
      await c.run(db);
      const statements = captured;
      for (const [i, s] of statements.entries()) {
        // Twice: the first run warms the cache the way the timed HTTP runs did.
        await client.unsafe(`explain (analyze, buffers) ${s.sql}`, s.params as never[]);
        const rows = await client.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, buffers) ${s.sql}`, s.params as never[]);
        const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
        const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
        out.push({ label: statements.length > 1 ? `${c.label} #${i + 1}` : c.label, sql: s.sql, params: s.params, executionMs, plan });
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

export function explainedMarkdown(e: Explained): string {
  return [`-- ${e.label}: ${e.executionMs.toFixed(1)} ms`, e.sql, `-- params: ${JSON.stringify(e.params)}`, "", e.plan].join("\n");
}
