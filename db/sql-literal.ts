/**
 * Bind parameters rendered into SQL text, for the one statement that cannot take them: COPY
 * (PostgreSQL plans `COPY (query) TO STDOUT` from its text alone, and postgres.js sends it with
 * the simple-query protocol, where a string may hold several statements). Only values produced
 * by drizzle's `.toSQL()` for our own query builders come through here.
 */

/**
 * A string constant by quote_literal()'s rules: quotes doubled; when a backslash is present, the
 * E'…' form with backslashes doubled too. Both forms mean the same whether
 * standard_conforming_strings is on or off (plain '…' only differs on backslashes, and has none),
 * so the text never depends on a session setting. The constant is untyped, like a bind
 * parameter: the server infers its type from the context exactly as it does for `$n`.
 */
export function quoteLiteral(value: string): string {
  // Never valid in PostgreSQL text, and the simple-query protocol would end the statement there.
  if (value.includes("\0")) throw new RangeError("a PostgreSQL string cannot hold a NUL character");
  const quoted = value.replaceAll("'", "''");
  return value.includes("\\") ? `E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteLiteral(value);
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "bigint" || typeof value === "boolean") return quoteLiteral(String(value));
  throw new TypeError(`cannot render a ${typeof value} parameter as SQL`);
}

/**
 * `$1 … $n` replaced by their values as literals, in one pass over the text so that a value
 * looking like a placeholder is never substituted again. Placeholders are recognised outside
 * '…' strings and "…" identifiers only (drizzle writes no other kind of quoting); any other
 * `$` (a dollar quote) or a placeholder without its value is refused rather than guessed at.
 */
export function inlineParams(text: string, params: readonly unknown[]): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      let end = i + 1;
      for (;;) {
        end = text.indexOf(c, end);
        if (end < 0) throw new SyntaxError("unterminated quote in SQL text");
        if (text[end + 1] !== c) break;
        end += 2;
      }
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === "$") {
      const digits = /^\d+/.exec(text.slice(i + 1, i + 12))?.[0];
      const index = digits ? Number(digits) - 1 : -1;
      if (index < 0 || index >= params.length) throw new SyntaxError(`no value for ${text.slice(i, i + 12)} in SQL text`);
      out += literal(params[index]);
      i += 1 + digits!.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
