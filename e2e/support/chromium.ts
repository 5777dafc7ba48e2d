import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

/** No executablePath: Playwright's own browser. */
export type Browser = { executablePath?: string; env?: Record<string, string> };

/** Where @sparticuz/chromium's browser is unpacked; `ready` is written last, once all of it is there. */
export const NPM_CHROMIUM_DIR = path.resolve(".data/chromium");

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else the system one (Debian's), else
 * Playwright's own where `npx playwright install` put one, else on Linux the one the npm package
 * @sparticuz/chromium ships, unpacked into .data/ on first use — so a machine with nothing but
 * Node runs them too (Playwright's download host is not reachable from everywhere).
 */
export function testChromium(): Browser {
  const system = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
  if (system) return { executablePath: system };
  if (existsSync(chromium.executablePath()) || process.platform !== "linux") return {};
  const ready = path.join(NPM_CHROMIUM_DIR, "ready");
  if (!existsSync(ready)) {
    // Synchronous, as the config that asks is; an interrupted unpack is redone from scratch.
    console.log(`No system Chromium: unpacking @sparticuz/chromium into ${NPM_CHROMIUM_DIR}`);
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
