import type { z } from "zod";

/** A zod error as `{ field: code }`: messages written as codes pass through, zod's own become "invalid". */
export function fieldErrorCodes(error: z.ZodError): Record<string, string> {
  return Object.fromEntries(error.issues.map((i) => [String(i.path[0]), /^[a-z_]+$/.test(i.message) ? i.message : "invalid"]));
}
