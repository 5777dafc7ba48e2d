import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";

/** No executablePath: Playwright's own browser. */
export type Browser = { executablePath?: string; env?: Record<string, string> };

/** Where @sparticuz/chromium's browser is unpacked; `ready` is written last, once all of it is there. */
export const NPM_CHROMIUM_DIR = path.resolve(".data/chromium");

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else on Linux the headless shell the npm
 * package @sparticuz/chromium ships, unpacked into .data/ on first use — the kind of build
 * Playwright itself runs headless tests in, lighter than a full browser (the e2e suite ran 27%
 * faster in it than in Debian's chromium on CI's 2 cores), and there on a machine with nothing but
 * Node (Playwright's download host is not reachable from everywhere). Elsewhere the system one,
 * else Playwright's own where `npx playwright install` put one.
 */
export function testChromium(): Browser {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH };
  if (process.platform !== "linux") {
    const system = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
    return system ? { executablePath: system } : {};
  }
  const ready = path.join(NPM_CHROMIUM_DIR, "ready");
  if (!existsSync(ready)) {
    // Synchronous, as the config that asks is; an interrupted unpack is redone from scratch.
    console.log(`Unpacking the headless Chromium of @sparticuz/chromium into ${NPM_CHROMIUM_DIR}`);
    rmSync(NPM_CHROMIUM_DIR, { recursive: true, force: true });
    execFileSync("node_modules/.bin/tsx", ["e2e/support/unpack-chromium.ts", NPM_CHROMIUM_DIR], { stdio: "inherit" });
  }
  return {
    executablePath: path.join(NPM_CHROMIUM_DIR, "chromium"),
    env: {
      // NSS and the other libraries the binary links, for a machine without a browser installed.
      LD_LIBRARY_PATH: [path.join(NPM_CHROMIUM_DIR, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_FILE: path.join(NPM_CHROMIUM_DIR, "fonts.conf"),
    },
  };
}
