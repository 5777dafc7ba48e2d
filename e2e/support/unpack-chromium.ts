/**
 * Unpacks the Chromium that @sparticuz/chromium ships (brotli archives inside the npm package)
 * into the folder given: the browser, its GL libraries, the shared libraries it links (NSS …)
 * and a font. Run by e2e/support/chromium.ts on a machine without a system Chromium.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const target = process.argv[2];
if (!target) throw new Error("usage: tsx e2e/support/unpack-chromium.ts <folder>");
// The package unpacks into os.tmpdir(), which follows TMPDIR.
process.env.TMPDIR = target;
mkdirSync(target, { recursive: true });
const { default: chromium, inflate } = await import("@sparticuz/chromium");

await chromium.executablePath();
// The package adds the libraries only on Amazon Linux; any machine without a browser lacks them.
const archives = path.join(path.dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "bin");
await inflate(path.join(archives, "al2023.tar.br"));
// The package's fonts.conf names /tmp/fonts; this one names where the font is, and the system's fonts.
writeFileSync(
  path.join(target, "fonts.conf"),
  `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.join(target, "fonts")}</dir>
  <cachedir>${path.join(target, "fonts-cache")}</cachedir>
</fontconfig>
`,
);
writeFileSync(path.join(target, "ready"), "");
