import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import type { MerchantContext } from "@/lib/auth/membership";
import { placeCartOrder, placeLinkOrder, retryOrder } from "@/lib/checkout/place";
import { createLink, setLinkActive } from "@/lib/dashboard/links";
import { recheckPayment, refundOrderPayment } from "@/lib/dashboard/payment-actions";
import { replayNotification } from "@/lib/dashboard/queues";
import { changeMemberRole, removeMember, revokeInvitation } from "@/lib/dashboard/team";
import { revokeApiKey } from "@/lib/api/keys";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { resolveException } from "@/lib/payments/exception-actions";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";

/**
 * Issue 13 item 6, for the ids forms carry in hidden fields (order, payment, link, notification,
 * invitation, member, the shop's slug): one that is not an id as we mint them is a validation
 * error before any query. Shown on a database that is already closed: a lookup would throw.
 */
const NOT_IDS = ["\u0000", "pay_\u0000", "ord_a\u0001b", "ord_a\u007fb", "ord_a\u0085b", "ord x", "' OR 1=1 --", "é", "x".repeat(65), "%00"];

describe.each(TEST_DATABASES)("ids in forms, checked before any query, on $name", ({ open }) => {
  let closed: Database;
  let owner: MerchantContext;
  beforeAll(async () => {
    closed = await open();
    await seedDemo(closed.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    owner = await seededMerchantContext(closed, "owner@demo.test");
    await closed.close();
  });
  afterAll(() => undefined);

  const deps = (): PaymentDeps => ({ db: closed.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: "http://127.0.0.1:9", urlsFor: () => ({}) });
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };

  it.each(NOT_IDS.map((id) => ({ id: JSON.stringify(id), value: id })))("the dashboard's actions refuse $id as invalid input", async ({ value }) => {
    const calls = [
      () => recheckPayment(deps(), owner, { paymentId: value }),
      () => refundOrderPayment(deps(), owner, { paymentId: value, amount: "100", confirm: "yes" }),
      () => replayNotification(deps(), owner, { notificationId: value }),
      () => resolveException(deps(), owner, { paymentId: value, action: "resolve", token: "t".repeat(20), note: "checked" }),
      () => setLinkActive(closed.db, owner, { linkId: value, active: "false" }),
      () => revokeInvitation(closed.db, owner, { invitationId: value }),
      () => changeMemberRole(closed.db, owner, { memberId: value, role: "staff" }),
      () => removeMember(closed.db, owner, { memberId: value }),
      () => revokeApiKey(closed.db, owner, { keyId: value }),
    ];
    for (const call of calls) expect(await call()).toMatchObject({ ok: false, error: "invalid_input" });
  });

  it.each(NOT_IDS.map((id) => ({ id: JSON.stringify(id), value: id })))("the shopper's forms refuse $id with the form's own error", async ({ value }) => {
    const submit = { db: closed.db, payments: async () => deps(), t: (key: string) => `t:${key}` };
    expect(await retryOrder(submit, form({ order: value, option: "cinetpay.mobile_money.hosted" }))).toEqual({ fieldErrors: { form: "t:form" } });
    expect(await placeLinkOrder(submit, form({ link: value }))).toEqual({ fieldErrors: { form: "t:linkUnavailable" } });
    expect(await placeCartOrder(submit, form({ merchant: value, cart: "[]" }))).toEqual({ fieldErrors: { form: "t:form" } });
  });

  it("free text with a NUL or another control character is refused before it is stored (line breaks stay where a field has lines)", async () => {
    for (const bad of ["Promo\u0000", "Promo\u001b[31m", "Promo\u0085"]) {
      expect(await createLink(closed.db, owner, { title: bad })).toMatchObject({ ok: false, fieldErrors: { title: "invalid" } });
      expect(await createLink(closed.db, owner, { title: "Promo", description: bad })).toMatchObject({ ok: false, fieldErrors: { description: "invalid" } });
      expect(await refundOrderPayment(deps(), owner, { paymentId: "pay_x", amount: "100", confirm: "yes", reason: bad })).toMatchObject({ ok: false, error: "invalid_input" });
      expect(await resolveException(deps(), owner, { paymentId: "pay_x", action: "resolve", token: "t".repeat(20), note: bad })).toMatchObject({ ok: false });
    }
    // A description of several lines reaches the database (closed here, so it throws).
    await expect(createLink(closed.db, owner, { title: "Promo", description: "line 1\nline 2\tend" })).rejects.toThrow(/database/);
  });
});
