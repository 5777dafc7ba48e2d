import { z } from "zod";
import { readCappedText } from "@/lib/body-limit";
import { bodyHasControlChars, jsonHasLoneSurrogate } from "@/lib/validation";
import { ApiError, invalid } from "./errors";

/** An API body is a few fields: anything above this is refused before it is read whole. */
export const API_BODY_LIMIT = 64 * 1024;

/** The bearer token of the Authorization header, or a 401 saying what is wrong with it. */
export function bearerToken(req: Request): string {
  const header = req.headers.get("authorization");
  const challenge = { "www-authenticate": 'Bearer realm="caisse"' };
  if (!header) throw new ApiError(401, "authentication_error", "missing_api_key", "No API key provided: send Authorization: Bearer <your key>.", null, challenge);
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "authentication_error", "invalid_authorization", "The Authorization header must be: Bearer <your key>.", null, challenge);
  return match[1]!;
}

/** The raw JSON text of a POST (what its idempotency hash covers): JSON only, capped, readable. */
export async function readJsonText(req: Request): Promise<string> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw invalid("unsupported_content_type", "Send the body as JSON, with Content-Type: application/json.", null, 415);
  const text = await readCappedText(req, API_BODY_LIMIT);
  try {
    JSON.parse(text);
  } catch {
    throw invalid("invalid_json", "The body is not valid JSON.");
  }
  // PostgreSQL refuses NUL, and jsonb a lone surrogate: a 400 here rather than a failed statement.
  if (bodyHasControlChars(text) || jsonHasLoneSurrogate(text)) throw invalid("invalid_characters", "The body holds a control character or an unpaired surrogate.");
  return text;
}

/** Values checked by `schema`, or a 400 naming the first field at fault. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? issue.keys[0] : issue.path.join(".");
  const message = issue.code === "unrecognized_keys" ? `Unknown parameter: ${issue.keys[0]}.` : `Invalid ${path || "body"}: ${issue.message}`;
  throw invalid(issue.code === "unrecognized_keys" ? "parameter_unknown" : "parameter_invalid", message, path || null);
}

export const parseBody = <T extends z.ZodType>(schema: T, text: string): z.infer<T> => parseWith(schema, JSON.parse(text));

/** The query string as an object; a parameter given twice is refused rather than guessed. */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in query) throw invalid("parameter_invalid", `The parameter ${key} is given twice.`, key);
    query[key] = value;
  }
  return parseWith(schema, query);
}
