import { sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { errorMessage, logger } from "@/lib/log";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  try {
    const { db, driver } = await getDatabase();
    await db.execute(sql`select 1`);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return Response.json({ status: "ok", database: { status: "up", driver, latencyMs } });
  } catch (error) {
    logger("health").error({ err: errorMessage(error) }, "database check failed");
    return Response.json({ status: "error", database: { status: "down" } }, { status: 503 });
  }
}
