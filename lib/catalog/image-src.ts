import "server-only";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * A product picture small enough to travel inside the page (the demo's are 0.4 KB SVGs) goes as
 * a data: URL: on slow 3G a separate request costs a whole round trip (400 ms) after the HTML,
 * and the picture is the storefront's largest paint (bench/RESULTS.md, "Checkout weight").
 * Only files of our own public/ folder are read; any other URL (a merchant's CDN) is left as is.
 */
const INLINE_LIMIT_BYTES = 2048;
const TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif" };
const PUBLIC_DIR = path.join(process.cwd(), "public");
// Product URLs are merchants' data, so the memo is bounded: past the cap the oldest entry goes
// (a Map iterates in insertion order), and a miss only costs a stat.
const CACHE_LIMIT = 1000;
const cache = new Map<string, string>();

export function productImageSrc(url: string): string {
  const cached = cache.get(url);
  if (cached !== undefined) return cached;
  const src = inlined(url) ?? url;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(url, src);
  return src;
}

function inlined(url: string): string | null {
  if (!url.startsWith("/") || url.startsWith("//") || /[?#]/.test(url)) return null;
  try {
    const file = path.join(PUBLIC_DIR, decodeURIComponent(url));
    const type = TYPES[path.extname(file).toLowerCase()];
    if (!type || !file.startsWith(PUBLIC_DIR + path.sep)) return null;
    if (statSync(file).size > INLINE_LIMIT_BYTES) return null;
    const bytes = readFileSync(file);
    // SVG as text (gzip shrinks it with the page); other types in base64.
    return type === "image/svg+xml" ? `data:${type},${encodeURIComponent(bytes.toString("utf8"))}` : `data:${type};base64,${bytes.toString("base64")}`;
  } catch {
    return null;
  }
}
