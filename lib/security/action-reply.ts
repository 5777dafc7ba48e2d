/**
 * A server action's arguments arrive as React's reply format: JSON rows in which a string starting
 * with `$` is a reference (react-server-dom's parseModelString). A reference React cannot resolve
 * (a row that is missing, comes later in the body or does not parse, a path that does not lead
 * anywhere, a Blob or stream part that is not there) makes decodeReply throw, and Next answers
 * that with a 500 before any action runs. This walks the rows as React would, and says why a
 * reply would not decode, or null when it would.
 *
 * The app's forms send plain JSON (useActionState's state) and FormData (`$K`), so the types it
 * never sends are refused whole rather than checked: Map, Set, iterators, promises (except a
 * no-JavaScript form's bound arguments, `$@`), server and temporary references, Blobs, typed
 * arrays, streams, BigInt.
 */

export type ReplyPart = readonly [name: string, value: string | Blob];

/** Types whose decoding cannot fail: `$$` escape, undefined, FormData, Date, ±Infinity, -0, NaN. */
const HARMLESS = new Set(["$", "u", "K", "D", "I", "-", "N"]);
/** React's arraySizeLimit: slots counted across references; above it decoding throws. */
const SLOT_LIMIT = 1_000_000;

/**
 * By default, a fetch action's reply, streamed (Next decodes a multipart body as it arrives, so a
 * row is read as soon as it is complete: what it refers to must come before it). A no-JavaScript
 * form's bound action is read whole, from rows under `$ACTION_<n>:`, and sends its arguments as a
 * promise (`$@`).
 */
export function replyRefusal(parts: readonly ReplyPart[], { prefix = "", bound = false } = {}): string | null {
  const position = new Map<string, number>();
  for (const [i, [name]] of parts.entries()) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    if (position.has(name)) return `row ${name} twice`;
    position.set(name, i);
  }
  const parsed = new Map<number, unknown>();
  const walking = new Set<number>();
  let slots = 0;

  function row(id: number, referrer: number | null): { value: unknown } | string {
    const name = prefix + id;
    const at = position.get(name);
    if (at === undefined) return `no row ${id}`;
    if (!bound && referrer !== null && at > position.get(prefix + referrer)!) return `row ${id} after its reference`;
    if (walking.has(id)) return `row ${id} refers to itself`;
    if (!parsed.has(id)) {
      const text = parts[at]![1];
      if (typeof text !== "string") return `row ${id} is a file`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return `row ${id} is not JSON`;
      }
      walking.add(id);
      const inner = walk(value, id);
      walking.delete(id);
      if (inner) return inner;
      parsed.set(id, value);
    }
    return { value: parsed.get(id) };
  }

  function walk(value: unknown, id: number): string | null {
    if (typeof value === "string") return reference(value, id);
    if (typeof value !== "object" || value === null) return null;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (Array.isArray(value)) slots += value.length + 1;
    if (slots > SLOT_LIMIT) return "too many slots";
    for (const child of children) {
      const refused = walk(child, id);
      if (refused) return refused;
    }
    return null;
  }

  function reference(value: string, id: number): string | null {
    slots += value.length;
    if (value[0] !== "$") return null;
    const type = value[1] ?? "";
    if (HARMLESS.has(type)) return null;
    if (type === "@" && bound) return /^[0-9a-f]+$/i.test(value.slice(2)) ? refusedRow(parseInt(value.slice(2), 16), id) : `bad promise ${value}`;
    const [hex, ...path] = value.slice(1).split(":");
    if (!/^[0-9a-f]+$/i.test(hex!)) return `type ${JSON.stringify(type)} refused`;
    const target = row(parseInt(hex!, 16), id);
    if (typeof target === "string") return target;
    let at = target.value;
    for (const key of path) {
      if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return `path ${value} does not resolve`;
      at = (at as Record<string, unknown>)[key];
      if (typeof at === "string" && at.startsWith("$")) return `path ${value} goes through a reference`;
    }
    // React counts what a reference brings in again; its JSON is at least that long.
    slots += JSON.stringify(at ?? null).length;
    return slots > SLOT_LIMIT ? "too many slots" : null;
  }

  function refusedRow(id: number, referrer: number): string | null {
    const target = row(id, referrer);
    return typeof target === "string" ? target : null;
  }

  const root = row(0, null);
  return typeof root === "string" ? root : null;
}

/**
 * A form posted without JavaScript: a useActionState form sends its bound action as rows under
 * `$ACTION_<n>:`, whose root React reads as `{ id, bound }`, bound being null or a promise of the
 * arguments' array (Next reads the id, and bound's length, with no check of its own: a TypeError).
 */
export function formActionRefusal(parts: readonly ReplyPart[]): string | null {
  const json = (name: string): unknown => JSON.parse(parts.find(([key]) => key === name)![1] as string);
  for (const [name] of parts) {
    const ref = /^\$ACTION_REF_(.*)$/.exec(name);
    if (!ref) continue;
    const prefix = `$ACTION_${ref[1]}:`;
    const refused = replyRefusal(parts, { prefix, bound: true });
    if (refused) return refused;
    const root = json(`${prefix}0`) as { id?: unknown; bound?: unknown } | null;
    if (typeof root !== "object" || root === null || typeof root.id !== "string") return "bound action without an id";
    if (root.bound === null) continue;
    const promised = typeof root.bound === "string" && /^\$@([0-9a-f]+)$/i.exec(root.bound);
    if (!promised || !Array.isArray(json(prefix + parseInt(promised[1]!, 16)))) return "bound arguments that are not a promise of an array";
  }
  return null;
}
