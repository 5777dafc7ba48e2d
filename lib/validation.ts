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
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [...new URLSearchParams(text)].some(([key, value]) => hasControlChars(key) || hasControlChars(value));
  }
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (hasControlChars(value)) return true;
    } else if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (hasControlChars(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
