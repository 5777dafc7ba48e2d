import { pgEnum } from "drizzle-orm/pg-core";

export const providerId = pgEnum("provider_id", ["cinetpay", "orange-money", "kkiapay", "ipay"]);
export const providerMode = pgEnum("provider_mode", ["sandbox", "live"]);
export const memberRole = pgEnum("member_role", ["owner", "staff"]);
export const orderStatus = pgEnum("order_status", ["open", "paid", "partially_refunded", "refunded", "cancelled"]);
export const paymentStatus = pgEnum("payment_status", [
  "created",
  "pending",
  "waiting_for_customer",
  "paid",
  "failed",
  "cancelled",
  "expired",
  "partially_refunded",
  "refunded",
]);
export const notificationVerdict = pgEnum("notification_verdict", [
  "received",
  "authenticated",
  "unverifiable",
  "rejected",
  "processed",
  "failed",
]);
export const refundKind = pgEnum("refund_kind", ["api", "manual"]);
export const refundStatus = pgEnum("refund_status", ["pending", "succeeded", "failed"]);
