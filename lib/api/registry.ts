import { defineRoute, type ApiRoute } from "./define-route";
import { listQuery } from "./pagination";
import { createSession, createSessionBody, getSession } from "./resources/checkout-sessions";
import { getPayment, listPayments } from "./resources/payments";
import { createPaymentLink, createPaymentLinkBody, listPaymentLinks } from "./resources/payment-links";
import { createRefund, createRefundBody, getRefund } from "./resources/refunds";
import { createWebhookEndpoint, createWebhookEndpointBody, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints } from "./resources/webhook-endpoints";
import { checkoutSessionObject, webhookEndpointCreated, webhookEndpointDeleted, webhookEndpointList, webhookEndpointObject, paymentLinkList, paymentLinkObject, paymentList, paymentObject, refundObject } from "./schemas";

/**
 * Every operation of the merchant API, once: the router (lib/api/routes.ts) serves exactly these,
 * validating query and body with the schemas given here, and the OpenAPI document
 * (/api/v1/openapi.json, lib/api/openapi.ts) and the dashboard's reference page are generated
 * from this same list, so the documentation cannot drift from what is served.
 *
 * Adding a route is one entry here:
 *   1. describe its answer in lib/api/schemas.ts (a `component("CheckoutSession", z.object(…))`,
 *      and `listOf(…)` for a list) and type the serializer by it;
 *   2. export its body schema (z.strictObject, fields `.describe()`d) from its resource file;
 *   3. add `defineRoute({ method, path: "/checkout-sessions/{id}", operationId, tag, summary,
 *      description, query?, body?, response, errors?, handler })` below. The handler gets the
 *      parsed `{ params, query, body, idempotencyKey }` and returns `{ status, body }`.
 * Authentication, the rate limit, Idempotency-Key on every POST, the common errors (400, 401,
 * 404 for an `{id}`, 409, 413, 415, 429, 500) and their documentation come with it.
 * lib/api/openapi.test.ts checks the document; the integration test validates real answers.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: "GET",
    path: "/payments",
    operationId: "listPayments",
    tag: "Payments",
    summary: "List payments",
    description: "The payments of the key's store and mode (a sandbox key sees sandbox payments only), newest first.",
    query: listQuery,
    response: { status: 200, description: "A page of payments.", schema: paymentList },
    errors: [{ status: 400, code: "resource_missing", description: "`starting_after` names no payment of this list." }],
    handler: listPayments,
  }),
  defineRoute({
    method: "GET",
    path: "/payments/{id}",
    operationId: "getPayment",
    tag: "Payments",
    summary: "Retrieve a payment",
    description: "One payment: its status, provider, method, fee, net and settlement date.",
    response: { status: 200, description: "The payment.", schema: paymentObject },
    handler: getPayment,
  }),
  defineRoute({
    method: "POST",
    path: "/refunds",
    operationId: "createRefund",
    tag: "Refunds",
    summary: "Refund a payment",
    description:
      "Sends money back through the same refund service as the dashboard, with the same rules and locks: at most what was collected and not yet refunded. Providers without a refund API get a manual refund, with instructions. The Idempotency-Key also becomes the refund's own, so a retry never refunds twice.",
    body: createRefundBody,
    response: { status: 201, description: "The refund.", schema: refundObject },
    errors: [
      { status: 404, code: "resource_missing", description: "No such payment (`param`: `payment`), including another store's." },
      { status: 422, code: "refund_amount_invalid", description: "The amount is beyond what is left to refund; other codes say why the payment cannot be refunded." },
      { status: 502, code: "provider_error", description: "The provider could not be reached: try again later, with the same Idempotency-Key." },
    ],
    handler: createRefund,
  }),
  defineRoute({
    method: "GET",
    path: "/refunds/{id}",
    operationId: "getRefund",
    tag: "Refunds",
    summary: "Retrieve a refund",
    description: "One refund of the key's store and mode.",
    response: { status: 200, description: "The refund.", schema: refundObject },
    handler: getRefund,
  }),
  defineRoute({
    method: "POST",
    path: "/payment-links",
    operationId: "createPaymentLink",
    tag: "Payment links",
    summary: "Create a payment link",
    description:
      "A link for a fixed `amount`, or an open amount between `min_amount` and `max_amount`, in the store's currency, under the dashboard's rules. Its payments go to the key's mode.",
    body: createPaymentLinkBody,
    response: { status: 201, description: "The payment link.", schema: paymentLinkObject },
    errors: [
      { status: 422, code: "below_providers", description: "A bound the store's providers do not accept (`below_providers`, `above_providers`, `bounds_order`)." },
      { status: 422, code: "amount_not_accepted", description: "A fixed `amount` that one of the store's providers would refuse (below its minimum, above its maximum, or not a multiple it requires)." },
    ],
    handler: createPaymentLink,
  }),
  defineRoute({
    method: "GET",
    path: "/payment-links",
    operationId: "listPaymentLinks",
    tag: "Payment links",
    summary: "List payment links",
    description: "The links of the key's mode and those made in the dashboard, newest first.",
    query: listQuery,
    response: { status: 200, description: "A page of payment links.", schema: paymentLinkList },
    errors: [{ status: 400, code: "resource_missing", description: "`starting_after` names no link of this list." }],
    handler: listPaymentLinks,
  }),
  defineRoute({
    method: "POST",
    path: "/checkout-sessions",
    operationId: "createCheckoutSession",
    tag: "Checkout sessions",
    summary: "Create a checkout session",
    description:
      "Asks for a payment your customer makes on Caisse's hosted page (`url`): the store's checkout for this amount, with the method chosen by the customer's country, every provider's flow, retry and receipt, then a redirect to `success_url`. A sandbox key's sessions pay in the simulators, a live key's at the providers. Your server confirms with GET /checkout-sessions/{id} (or the `checkout.session.completed` webhook), never from the redirect alone.",
    body: createSessionBody,
    response: { status: 201, description: "The session, `open`.", schema: checkoutSessionObject },
    errors: [
      { status: 400, code: "parameter_invalid", description: "A field is missing or malformed (`param` names it), e.g. both or neither of `amount` and `line_items`." },
      { status: 400, code: "currency_invalid", description: "`currency` is not the store's." },
      { status: 400, code: "url_invalid", description: "A return URL that is not https (http on localhost with a test key only) or holds credentials." },
      { status: 400, code: "expires_at_invalid", description: "`expires_at` is not between 30 minutes and 24 hours from now." },
      { status: 400, code: "amount_too_high", description: "The lines add up beyond what can be counted." },
      { status: 400, code: "no_payment_method", description: "No provider of the store can take payments in the key's mode and currency." },
      { status: 400, code: "amount_below_minimum", description: "No provider of the store takes this amount (`param`: `amount` or `line_items`); the code is the provider's rule, e.g. `amount_below_minimum`, `amount_above_maximum`, `amount_not_multiple`." },
    ],
    handler: createSession,
  }),
  defineRoute({
    method: "GET",
    path: "/checkout-sessions/{id}",
    operationId: "getCheckoutSession",
    tag: "Checkout sessions",
    summary: "Retrieve a checkout session",
    description: "Its status (`open`, `complete` with its `payment_id`, `expired`). Only the key's own store and mode: another's is not found.",
    response: { status: 200, description: "The session.", schema: checkoutSessionObject },
    handler: getSession,
  }),
  defineRoute({
    method: "POST",
    path: "/webhook-endpoints",
    operationId: "createWebhookEndpoint",
    tag: "Webhook endpoints",
    summary: "Register a webhook endpoint",
    description:
      "Caisse POSTs the chosen events of the key's store and mode to `url` as they happen, signed per Standard Webhooks with the `secret` this answer holds (once). Failed deliveries are retried with backoff for up to 3 days, under the same `webhook-id`; an endpoint failing a whole schedule is disabled, with a notice on the dashboard.",
    body: createWebhookEndpointBody,
    response: { status: 201, description: "The endpoint, with its signing secret.", schema: webhookEndpointCreated },
    errors: [
      { status: 422, code: "https_required", description: "A live endpoint's url must be https." },
      { status: 422, code: "url_private", description: "The url must reach a public address." },
      { status: 422, code: "url_invalid", description: "Not an http(s) URL, or it holds credentials." },
      { status: 422, code: "too_many_endpoints", description: "The store has the most endpoints it may have." },
    ],
    handler: createWebhookEndpoint,
  }),
  defineRoute({
    method: "GET",
    path: "/webhook-endpoints",
    operationId: "listWebhookEndpoints",
    tag: "Webhook endpoints",
    summary: "List webhook endpoints",
    description: "The key's store's endpoints of the key's mode, newest first.",
    query: listQuery,
    response: { status: 200, description: "A page of endpoints.", schema: webhookEndpointList },
    errors: [{ status: 400, code: "resource_missing", description: "`starting_after` names no endpoint of this list." }],
    handler: listWebhookEndpoints,
  }),
  defineRoute({
    method: "GET",
    path: "/webhook-endpoints/{id}",
    operationId: "getWebhookEndpoint",
    tag: "Webhook endpoints",
    summary: "Retrieve a webhook endpoint",
    description: "One endpoint of the key's store and mode; another's is not found.",
    response: { status: 200, description: "The endpoint (without its secret).", schema: webhookEndpointObject },
    handler: getWebhookEndpoint,
  }),
  defineRoute({
    method: "DELETE",
    path: "/webhook-endpoints/{id}",
    operationId: "deleteWebhookEndpoint",
    tag: "Webhook endpoints",
    summary: "Delete a webhook endpoint",
    description:
      "The endpoint receives nothing more; its signing secrets and delivery log are deleted with it (a delivery already on its way finishes). Only one of the key's store and mode; another's, or one already deleted, is not found.",
    response: { status: 200, description: "The deleted endpoint's id.", schema: webhookEndpointDeleted },
    handler: deleteWebhookEndpoint,
  }),
];
