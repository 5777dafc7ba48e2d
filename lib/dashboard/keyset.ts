import { z } from "zod";
import { hasControlChars } from "@/lib/validation";

/**
 * A position in a list ordered by (timestamp, id). The timestamp is PostgreSQL's own text:
 * it keeps microseconds, which a JS Date would round away (and rows would repeat or vanish).
 */
export type TimeCursor = { at: string; id: string };

const schema = z.object({ at: z.string().regex(/^\d{4}-\d{2}-\d{2}[ T][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)$/), id: z.string().min(1).max(64).refine((s) => !hasControlChars(s)) });

export const encodeTimeCursor = (cursor: TimeCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

/** A bad cursor means "from the start", never an error. */
export function readTimeCursor(value: unknown): TimeCursor | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
