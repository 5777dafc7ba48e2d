import { z } from "zod";
import { paymentStatus, providerId, refundKind, refundStatus } from "@/db/schema";

/**
 * What the API answers, as zod schemas: the serializers (resources/*View) are typed by them, so a
 * field added to one without the other fails to compile, and the OpenAPI document's components
 * are generated from them (lib/api/openapi.ts). Registered under the name the spec gives them.
 * Descriptions are English, like the API's messages.
 */
export const components = z.registry<{ id: string }>();

function component<T extends z.ZodType>(id: string, schema: T): T {
  components.add(schema, { id });
  return schema;
}

const id = (prefix: string) => z.string().describe(`Unique identifier, starting with \`${prefix}_\`.`);
const minor = (what: string) => z.number().int().nonnegative().describe(`${what}, in the currency's minor unit (an integer: 15000 is 15 000 XOF).`);
const timestamp = (what: string) => z.iso.datetime().describe(`${what} (ISO 8601, UTC).`);
const currency = z.string().length(3).describe("ISO 4217 currency code, e.g. XOF.");

export const paymentObject = component(
  "Payment",
  z
    .object({
      id: id("pay"),
      object: z.literal("payment"),
      order: z.string().describe("The order this payment pays."),
      reference: z.string().describe("The reference sent to the provider."),
      status: z.enum(paymentStatus.enumValues),
      provider: z.enum(providerId.enumValues).describe("The payment provider that handles it."),
      method: z.string().describe("How the customer pays, e.g. `mobile_money`, `card`, `wave`."),
      livemode: z.boolean().describe("true for a live payment, false for a sandbox one (the simulators)."),
      amount: minor("Amount charged"),
      currency,
      fee: minor("The provider's fee: reported by the provider, or else estimated from the store's fee settings").nullable(),
      fee_estimated: z.boolean().describe("true while the fee is Caisse's estimate, not yet reported by the provider."),
      net: z.number().int().describe("Amount minus fee, in the currency's minor unit.").nullable(),
      settlement_date: z.string().describe("The day the money is expected in the merchant's account (YYYY-MM-DD).").nullable(),
      settlement_reported: z.boolean().describe("true when the settlement date comes from the provider's report, false when estimated."),
      paid_at: timestamp("When the payment was confirmed").nullable(),
      created: timestamp("Creation time"),
    })
    .meta({ description: "A payment attempt of an order through one provider." }),
);

export const refundObject = component(
  "Refund",
  z
    .object({
      id: id("rfd"),
      object: z.literal("refund"),
      payment: z.string().describe("The refunded payment."),
      amount: minor("Amount refunded"),
      currency,
      status: z.enum(refundStatus.enumValues),
      kind: z.enum(refundKind.enumValues).describe("`api`: sent back through the provider; `manual`: recorded, the money is sent back by hand (see `instructions`)."),
      reason: z.string().describe("Why, as given when refunding (may be empty)."),
      instructions: z.string().nullable().describe("For a manual refund: how to send the money back."),
      failure_code: z.string().nullable().describe("Why a failed refund failed."),
      created: timestamp("Creation time"),
    })
    .meta({ description: "Money sent back on a payment, through the same service and rules as the dashboard." }),
);

export const paymentLinkObject = component(
  "PaymentLink",
  z
    .object({
      id: id("lnk"),
      object: z.literal("payment_link"),
      url: z.url().describe("The link to share: a Caisse-hosted payment page."),
      title: z.string(),
      description: z.string(),
      amount: minor("Fixed amount").nullable().describe("Fixed amount in minor units; null: the customer types it."),
      min_amount: minor("Lowest amount the customer may type").nullable(),
      max_amount: minor("Highest amount the customer may type").nullable(),
      currency,
      active: z.boolean().describe("false: switched off, the link takes no payment."),
      livemode: z.boolean().nullable().describe("The mode of the link's payments; null: made in the dashboard, its payments follow the provider account's mode."),
      created: timestamp("Creation time"),
    })
    .meta({ description: "A shareable link that takes payments for a fixed or an open amount." }),
);

/** A page of `item`, newest first (lib/api/pagination.ts). */
export const checkoutSessionObject = component(
  "CheckoutSession",
  z
    .object({
      id: id("cs"),
      object: z.literal("checkout_session"),
      url: z.string().describe("Caisse's page to send the customer to: the store's checkout for this amount."),
      status: z.enum(["open", "complete", "expired"]).describe("`complete` once an attempt is paid (`payment_id` says which); `expired` once `expires_at` passed unpaid."),
      livemode: z.boolean().describe("true for a live key's session (the providers), false for a sandbox key's (the simulators)."),
      amount: minor("Amount to pay"),
      currency,
      line_items: z
        .array(z.object({ name: z.string(), unit_amount: minor("Price of one unit"), quantity: z.number().int().positive() }))
        .nullable()
        .describe("The lines, when the session was created with `line_items`."),
      client_reference: z.string().nullable().describe("Your own reference (e.g. your order number)."),
      customer: z
        .object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), country: z.string().nullable() })
        .describe("What you told of the customer, prefilled on the page."),
      metadata: z.record(z.string(), z.string()).describe("Your key-value pairs, returned as given."),
      success_url: z.string().describe("Where the customer goes once paid."),
      cancel_url: z.string().describe("Where the customer goes on cancelling."),
      expires_at: timestamp("When the session stops taking payments"),
      payment_id: z.string().nullable().describe("The paid payment, once `complete`."),
      completed_at: timestamp("When it was paid").nullable(),
      created: timestamp("Creation time"),
    })
    .meta({ description: "A payment your server asks for: the customer pays it on Caisse's hosted page (`url`)." }),
);

export const webhookEndpointObject = component(
  "WebhookEndpoint",
  z
    .object({
      id: id("we"),
      object: z.literal("webhook_endpoint"),
      url: z.string().describe("Where events are POSTed, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)."),
      description: z.string(),
      enabled_events: z.array(z.string()).describe("The event types it receives."),
      livemode: z.boolean().describe("true: live payments' events; false: sandbox ones."),
      status: z.enum(["enabled", "disabled"]),
      disabled_reason: z.string().nullable().describe("`failing`: disabled automatically after a whole retry schedule failed; `manual`."),
      created: timestamp("Creation time"),
    })
    .meta({ description: "An endpoint of your systems that receives the store's events." }),
);

export const webhookEndpointCreated = component(
  "WebhookEndpointWithSecret",
  webhookEndpointObject.extend({
    secret: z
      .string()
      .nullable()
      .describe("The signing secret (`whsec_…`), shown in this answer only: verify each delivery with it. null when this answer is a replay under the same Idempotency-Key (the secret is never stored readable)."),
  }),
);

export const webhookEndpointDeleted = component(
  "DeletedWebhookEndpoint",
  z
    .object({ id: id("we"), object: z.literal("webhook_endpoint"), deleted: z.literal(true) })
    .meta({ description: "An endpoint that was deleted, with its signing secrets and its delivery log: it receives nothing more." }),
);

export function listOf<T extends z.ZodType>(name: string, item: T) {
  return component(
    `${name}List`,
    z
      .object({
        object: z.literal("list"),
        data: z.array(item),
        has_more: z.boolean().describe("true when more objects follow: ask again with `starting_after` = the last id of `data`."),
      })
      .meta({ description: `A page of ${name} objects, newest first.` }),
  );
}

export const paymentList = listOf("Payment", paymentObject);
export const paymentLinkList = listOf("PaymentLink", paymentLinkObject);
export const webhookEndpointList = listOf("WebhookEndpoint", webhookEndpointObject);

export const errorObject = component(
  "Error",
  z
    .object({
      error: z.object({
        type: z
          .enum(["invalid_request_error", "authentication_error", "idempotency_error", "rate_limit_error", "api_error"])
          .describe("Whose move it is: fix the request, the key, the Idempotency-Key, wait, or retry later."),
        code: z.string().describe("Stable, for programs: e.g. `parameter_invalid`, `resource_missing`, `rate_limited`."),
        message: z.string().describe("For the developer reading logs (English)."),
        param: z.string().nullable().describe("The parameter at fault, if one is."),
      }),
    })
    .meta({ description: "Every error of the API has this shape." }),
);

export type PaymentObject = z.output<typeof paymentObject>;
export type RefundObject = z.output<typeof refundObject>;
export type PaymentLinkObject = z.output<typeof paymentLinkObject>;
export type CheckoutSessionObject = z.output<typeof checkoutSessionObject>;
export type WebhookEndpointObject = z.output<typeof webhookEndpointObject>;
