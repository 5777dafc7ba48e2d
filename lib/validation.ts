import { z } from "zod";

/** A zod error as `{ field: code }`: messages written as codes pass through, zod's own become "invalid". */
export function fieldErrorCodes(error: z.ZodError): Record<string, string> {
  return Object.fromEntries(error.issues.map((i) => [String(i.path[0]), /^[a-z_]+$/.test(i.message) ? i.message : "invalid"]));
}

// C0 controls, DEL and C1 controls. Written as a string: the pattern is about them.
const CONTROL_CHARS = new RegExp("[\\u0000-\\u001f\\u007f-\\u009f]");

/**
 * No id, slug, reference or search holds one, and PostgreSQL refuses NUL outright (an error
 * instead of "not found"): every value from a URL or an unauthenticated body is checked before
 * it reaches SQL.
 */
export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value);
}

/** A request URL whose path or query holds a control character once decoded, or cannot be decoded. */
export function isUnreadableUrl(url: URL): boolean {
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return true;
  }
  return hasControlChars(path) || [...url.searchParams].some(([key, value]) => hasControlChars(key) || hasControlChars(value));
}

/**
 * An id as we mint them (lib/ids.ts: `pay_` and 22 base62 characters, fixed seed ids, slugs,
 * references): letters, digits, `_` and `-`. What a form's hidden field or a URL names is checked
 * against it before any lookup, so a NUL or a stray byte is "invalid", never a database error.
 */
export const recordId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/);

export function isRecordId(value: unknown): value is string {
  return recordId.safeParse(value).success;
}

/**
 * Free text a person types (names, titles, notes): no control character, but line breaks and
 * tabs in a field of several lines. A NUL is a database error; the others hide text from
 * whoever reads it.
 */
export function isPlainText(value: string, multiline = false): boolean {
  return !hasControlChars(multiline ? value.replace(/[\t\n\r]/g, "") : value);
}

/**
 * Whether a request body's values hold a control character: a JSON document's strings and keys
 * (its layout may break lines), or else a form's names and values, however the receiver will
 * read it. Walked without recursion: a 64 KB body can nest thousands of arrays deep.
 */
export function bodyHasControlChars(text: string): boolean {
  if (text.includes("\u0000")) return true;
  const strings = jsonStrings(text);
  if (strings === null) return [...new URLSearchParams(text)].some(([key, value]) => hasControlChars(key) || hasControlChars(value));
  return strings.some(hasControlChars);
}

// Half of a surrogate pair, with no other half beside it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a JSON document escapes half of a surrogate pair (`"\ud800"`) in a string or a key.
 * No byte of such a body is invalid UTF-8 and JSON.parse takes it, but PostgreSQL's jsonb refuses
 * it (22P02): whatever stores the parsed value fails. A body that is not JSON has none (a
 * decoder replaces what does not decode).
 */
export function jsonHasLoneSurrogate(text: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(text) && (jsonStrings(text)?.some((value) => LONE_SURROGATE.test(value)) ?? false);
}

/**
 * Every string and key of a JSON document, or null when the text is not JSON. Walked without
 * recursion: a 64 KB body can nest thousands of arrays deep.
 */
function jsonStrings(text: string): string[] | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  const strings: string[] = [];
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      strings.push(value);
    } else if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        strings.push(key);
        pending.push(inner);
      }
    }
  }
  return strings;
}

/**
 * A server action's form as it arrived. Anyone may call an action with any arguments (a string,
 * an object, nothing: React decodes whatever the request encodes), and `form.get()` on those is
 * a 500; they get an empty form instead, which every action refuses as it refuses an empty post.
 */
export function formArg(value: unknown): FormData {
  return value instanceof FormData ? value : new FormData();
}
