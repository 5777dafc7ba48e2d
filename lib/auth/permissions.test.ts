import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPECTED_MATRIX } from "@/lib/testing/permission-matrix";
import type { Role } from "./membership";
import { can, PERMISSIONS, type Permission } from "./permissions";

const CELLS = PERMISSIONS.flatMap((permission) => (["owner", "staff"] as const).map((role) => ({ role, permission, allowed: EXPECTED_MATRIX[permission][role] })));

describe("the permission matrix", () => {
  it.each(CELLS)("$role may $permission: $allowed", ({ role, permission, allowed }) => {
    expect(can({ role }, permission)).toBe(allowed);
  });

  it("grants nothing to a role it does not know", () => {
    for (const permission of PERMISSIONS) expect(can({ role: "cashier" as Role }, permission)).toBe(false);
  });
});

/**
 * Server actions and routes need Next to run, so what they ask the guard is read from their
 * source: every exported action's first call is requireMerchant(<its permission>), and every
 * dashboard file that exports actions or a route is listed here (a new one fails until it is).
 */
const DASHBOARD = path.join(process.cwd(), "app", "(dashboard)", "dashboard");
const GUARDS: Record<string, Record<string, Permission>> = {
  "actions.ts": { recheckAction: "recheck" },
  "store-actions.ts": { switchStoreAction: "view" },
  "orders/[id]/actions.ts": { refundAction: "refund" },
  "orders/export/route.ts": { GET: "export" },
  "exceptions/actions.ts": { exceptionAction: "exceptions" },
  "notifications/actions.ts": { replayAction: "replay" },
  "links/actions.ts": { createLinkAction: "links", setLinkActiveAction: "links" },
  "products/actions.ts": { createProductAction: "products", updateProductAction: "products", archiveProductAction: "products", moveProductAction: "products" },
  "settings/actions.ts": { saveProviderAccountAction: "settings" },
  // Each member chooses their own alerts: any member may, for themselves only.
  "settings/alert-actions.ts": { setPaymentAlertsAction: "view" },
  "settings/store-actions.ts": { updateStoreAction: "settings" },
  "settings/developers/actions.ts": { createApiKeyAction: "developers", revokeApiKeyAction: "developers" },
  "settings/developers/webhook-actions.ts": {
    createWebhookEndpointAction: "developers",
    rotateWebhookSecretAction: "developers",
    setWebhookEndpointEnabledAction: "developers",
    deleteWebhookEndpointAction: "developers",
    sendWebhookTestAction: "developers",
    resendWebhookDeliveryAction: "developers",
  },
  "settings/team-actions.ts": { inviteMemberAction: "team", revokeInvitationAction: "team", changeMemberRoleAction: "team", removeMemberAction: "team" },
};

const dashboardFiles = () => readdirSync(DASHBOARD, { recursive: true, encoding: "utf8" }).map((f) => f.split(path.sep).join("/"));
const source = (file: string) => readFileSync(path.join(DASHBOARD, file), "utf8");

/** Each exported async function with the permission of the first requireMerchant call in its body. */
function guardsOf(code: string): Record<string, string | null> {
  const parts = code.split(/export async function (\w+)/).slice(1);
  const out: Record<string, string | null> = {};
  for (let i = 0; i < parts.length; i += 2) out[parts[i]!] = /requireMerchant\("(\w+)"\)/.exec(parts[i + 1]!)?.[1] ?? null;
  return out;
}

describe("every dashboard action and route asks the matrix", () => {
  it("lists every file that exports server actions or a route handler", () => {
    const withActions = dashboardFiles().filter((f) => /\.tsx?$/.test(f) && (/^\s*"use server"/.test(source(f)) || /(^|\/)route\.ts$/.test(f)));
    expect(withActions.sort()).toEqual(Object.keys(GUARDS).sort());
  });

  it.each(Object.entries(GUARDS))("%s", (file, expected) => {
    expect(guardsOf(source(file))).toEqual(expected);
  });

  it("every page and the layout ask at least to view (an owner-only page asks its own permission)", () => {
    const pages = dashboardFiles().filter((f) => /(^|\/)(page|layout)\.tsx$/.test(f));
    expect(pages.length).toBeGreaterThan(5);
    const OWN: Record<string, Permission> = { "settings/developers/page.tsx": "developers", "settings/developers/reference/page.tsx": "developers" };
    for (const page of pages) expect({ page, guarded: source(page).includes(`requireMerchant("${OWN[page] ?? "view"}")`) }).toEqual({ page, guarded: true });
  });
});
