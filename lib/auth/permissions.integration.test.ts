import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { setLinkActive, createLink } from "@/lib/dashboard/links";
import { recheckPayment, refundOrderPayment } from "@/lib/dashboard/payment-actions";
import { replayNotification } from "@/lib/dashboard/queues";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from "@/lib/dashboard/team";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { resolveException } from "@/lib/payments/exception-actions";
import { createProduct, moveProduct, setProductArchived, updateProduct } from "@/lib/products/manage";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { EXPECTED_MATRIX } from "@/lib/testing/permission-matrix";
import type { MerchantContext, Role } from "./membership";
import type { Permission } from "./permissions";

type Outcome = { ok: boolean; error?: string };
type Call = (ctx: MerchantContext) => Promise<Outcome>;

describe.each(TEST_DATABASES)("the lib functions behind the dashboard actions ask the matrix, on $name", ({ open }) => {
  let database: Database;
  let deps: PaymentDeps;
  const ctx: Partial<Record<Role, MerchantContext>> = {};
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    // Every call below names a resource that does not exist: allowed, it is "not found" (or the
    // input is refused); refused, it never reached the database. No provider is ever called.
    deps = { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: "http://127.0.0.1:9", urlsFor: () => ({}) };
    ctx.owner = await seededMerchantContext(database, "owner@demo.test");
    ctx.staff = await seededMerchantContext(database, "staff@demo.test");
  });
  afterAll(() => database.close());

  const missing = "none_such_0000";
  // Each action a dashboard form or button runs, under the permission its server action asks for.
  const ACTIONS: Record<Exclude<Permission, "view" | "export">, Call[]> = {
    recheck: [(c) => recheckPayment(deps, c, { paymentId: missing })],
    replay: [(c) => replayNotification(deps, c, { notificationId: missing })],
    links: [(c) => createLink(database.db, c, { title: "" }), (c) => setLinkActive(database.db, c, { linkId: missing, active: "false" })],
    products: [
      (c) => createProduct(database.db, c, { name: "" }),
      (c) => updateProduct(database.db, c, { productId: missing, name: "Pagne", price: "1000" }),
      (c) => setProductArchived(database.db, c, { productId: missing, archived: "true" }),
      (c) => moveProduct(database.db, c, { productId: missing, direction: "up" }),
    ],
    refund: [(c) => refundOrderPayment(deps, c, { paymentId: missing, amount: "100", confirm: "yes" })],
    exceptions: [(c) => resolveException(deps, c, { paymentId: missing, action: "resolve", token: "t".repeat(20), note: "checked" })],
    settings: [(c) => saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, c, { provider: "cinetpay" })],
    team: [
      (c) => inviteMember(database.db, c, { email: "not-an-email", role: "staff" }),
      (c) => revokeInvitation(database.db, c, { invitationId: missing }),
      (c) => changeMemberRole(database.db, c, { memberId: missing, role: "owner" }),
      (c) => removeMember(database.db, c, { memberId: missing }),
    ],
    developers: [(c) => createApiKey(database.db, c, { name: "", mode: "sandbox" }), (c) => revokeApiKey(database.db, c, { keyId: missing })],
  };
  const cells = Object.entries(ACTIONS).flatMap(([permission, calls]) =>
    (["owner", "staff"] as const).map((role) => ({ role, permission: permission as Permission, calls, allowed: EXPECTED_MATRIX[permission as Permission][role] })),
  );

  it.each(cells)("$role, $permission: allowed $allowed", async ({ role, calls, allowed }) => {
    for (const call of calls) {
      const outcome = await call(ctx[role]!);
      expect(outcome.ok).toBe(false);
      if (allowed) expect(outcome.error).not.toBe("forbidden");
      else expect(outcome.error).toBe("forbidden");
    }
  });

  it("refuses every action to a member whose role the matrix does not know: each one asks it", async () => {
    const stranger = { ...ctx.staff!, role: "cashier" as Role };
    for (const call of Object.values(ACTIONS).flat()) expect(await call(stranger)).toEqual({ ok: false, error: "forbidden" });
  });
});
