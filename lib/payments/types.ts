import type { z } from "zod";
import type { BillingAddress } from "@/db/schema/orders";

/**
 * The payment provider contract (after Medusa's): one object in, one object out. Adapters are
 * stateless, never touch the database and never decide a payment's fate on their own; the
 * service (lib/payments/start.ts, refresh.ts, notifications.ts, returns.ts, refunds.ts) stores, transitions and audits what they return.
 */

export const PROVIDER_IDS = ["cinetpay", "orange-money", "kkiapay", "ipay"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export type Mode = "sandbox" | "live";

/**
 * Our canonical statuses. `created` exists only before the provider answered; an adapter maps
 * every provider status to one of the others, and anything unknown to a non-final one.
 */
export type PaymentStatus =
  | "created"
  | "pending"
  | "waiting_for_customer"
  | "paid"
  | "failed"
  | "cancelled"
  | "expired"
  | "partially_refunded"
  | "refunded";

export const FINAL_STATUSES: readonly PaymentStatus[] = ["paid", "failed", "cancelled", "expired", "partially_refunded", "refunded"];

/** What a payment method is called across Caisse (CinetPay says OM/MOMO/FLOOZ, iPay MPESA…). */
/** `mobile_money`: any operator, chosen on the provider's own page (see routing.ts). */
export type PaymentMethod = "orange_money" | "mtn" | "moov" | "wave" | "card" | "mpesa" | "airtel" | "celtiis" | "mobile_money";

/** Where the provider must send the shopper and its notifications for this payment. */
export type CallbackUrls = {
  /** Server-to-server notifications (CinetPay notify_url, Orange notif_url, iPay/KKiaPay webhooks). */
  notify: string;
  /** Where the shopper's browser comes back (CinetPay POSTs here, iPay GETs with a query). */
  return: string;
  /** Where the shopper lands after cancelling (Orange cancel_url); defaults to `return`. */
  cancel: string;
};

/** Resolved per call by the service from the account's mode and env (live URLs overridable). */
export type ProviderContext<C> = {
  mode: Mode;
  credentials: C;
  /** Base URLs for this call: the real hosts in live mode, /sandbox/<provider> in sandbox mode. */
  urls: Record<string, string>;
  /** Per-call timeout; adapters must never wait longer than this for a provider. */
  timeoutMs: number;
  /** Injected so tests and benchmarks can count calls; defaults to global fetch. */
  fetch?: typeof fetch;
};

export type InitializeInput = {
  /** Our payment reference: alphanumeric, ≤ 30 characters, unique. What the provider receives. */
  reference: string;
  amountMinor: number;
  currency: string;
  description: string;
  method: PaymentMethod;
  /** "push": approve on the phone without leaving the page (iPay M-Pesa STK push). Default "hosted". */
  flow?: "hosted" | "push";
  customer: {
    name: string;
    email?: string | null;
    /** E.164 (+2250707070707); adapters convert to the provider's format. */
    phone?: string | null;
    country: string;
    /** Given when the method asks for it (requiredCustomerData). */
    billing?: BillingAddress | null;
  };
  locale: "fr" | "en";
  /** Shown on hosted pages that carry the merchant's name (Orange `reference`). */
  merchantName: string;
  urls: CallbackUrls;
};

/** What the shopper's browser must do next. */
export type NextAction =
  | { type: "redirect"; url: string }
  /** An auto-submitted form (iPay's hosted checkout takes a signed GET/POST form). */
  | { type: "form"; url: string; method: "GET" | "POST"; fields: Record<string, string> }
  /** A provider widget loaded in the page (KKiaPay). `config` goes to openKkiapayWidget as is. */
  | { type: "widget"; scriptUrl: string; config: Record<string, unknown> }
  /** Nothing to open: the shopper approves on their phone (M-Pesa STK push). */
  | { type: "approve_on_phone"; phone: string; message?: string };

export type InitializeResult = {
  action: NextAction;
  /** The provider's handle for the session: CinetPay payment_token, Orange pay_token, iPay sid. */
  providerToken?: string;
  providerReference?: string;
  /** Non-secret data the adapter needs later (e.g. iPay sid, the exact oid sent). */
  stored?: Record<string, unknown>;
  /** Secret data the adapter needs later (Orange notif_token); the service encrypts it. */
  storedSecret?: Record<string, string>;
  /** When the provider's window closes (Orange pay_token: 10 minutes). */
  expiresAt?: Date;
  status: Extract<PaymentStatus, "pending" | "waiting_for_customer">;
  /** Redacted request and response, for the payment's event timeline. */
  trace: ExchangeTrace;
};

/** A payment as adapters see it when they must ask about it again. */
export type PaymentHandle = {
  reference: string;
  amountMinor: number;
  currency: string;
  providerToken?: string | null;
  providerReference?: string | null;
  stored: Record<string, unknown>;
  storedSecret?: Record<string, string> | null;
  phone?: string | null;
};

/** The provider's status API answer, mapped. The only thing allowed to move a payment. */
export type StatusResult = {
  status: Exclude<PaymentStatus, "created">;
  /** The provider's own word for it (ACCEPTED, SUCCESS, aei7p7yrx4ae34…). */
  providerStatus: string;
  /** Amount and currency as the provider reports them: compared with ours before paying. */
  amountMinor?: number;
  currency?: string;
  providerReference?: string;
  method?: string;
  feeMinor?: number;
  /** YYYY-MM-DD when the provider reports when funds are available (CinetPay). */
  settlementDate?: string;
  failureCode?: string;
  failureMessage?: string;
  /** iPay "less"/"more": the amount actually paid. */
  paidAmountMinor?: number;
  /**
   * The reference the provider's transaction carries as ours (KKiaPay `state`/`stateData`): a
   * string when it names one, null when the answer names none, absent when the provider was
   * asked by our reference in the first place (the question already binds the answer).
   */
  claimedReference?: string | null;
  /** When the provider says the transaction was performed (KKiaPay performed_at). */
  performedAt?: Date;
  /**
   * A non-final outcome of this attempt the shopper should hear about while the payment stays
   * open (iPay IPN "failed" / "used": an unsigned callback must never fail a payment; an M-Pesa
   * prompt that "timed_out", which M-Pesa does not count as final).
   */
  attemptOutcome?: "failed" | "used" | "timed_out";
  trace: ExchangeTrace;
};

/**
 * Provider ids a delivery or a return carried, for the status check it triggers. None of it is
 * believed as such: the provider's status API is asked about it, and its answer must bind it to
 * the payment (lib/payments/binding.ts).
 */
export type StatusEvidence = {
  /** The provider's transaction id (KKiaPay transactionId). */
  providerReference?: string;
  /** Whether it came on an authenticated delivery (signed webhook) rather than a shopper's URL. */
  authenticated?: boolean;
  /** Unsigned ids the provider's own check verifies (iPay callback id, ivm, qwh, afd, poi, uyt, ifd). */
  fields?: Record<string, string>;
};

/** An inbound HTTP delivery, as the route handler read it (raw body kept for signatures). */
export type InboundRequest = {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string;
};

/** What an inbound delivery claims, parsed without trusting it. */
export type ParsedNotification = {
  /** How to find our payment: at least one key. */
  lookup: { reference?: string; providerToken?: string; providerReference?: string };
  /** Stable identity of this delivery, for (provider, dedupe_key) deduplication. */
  dedupeKey: string;
  /** What the notification says happened (never acted upon without a status check). */
  claimedStatus?: string;
  claimedAmountMinor?: number;
  /** Provider ids the status check should ask about (kept with the delivery, used by every retry). */
  evidence?: Omit<StatusEvidence, "authenticated">;
};

/**
 * authentic: signed/secret matched; forged: a signature or secret was present and wrong, or
 * missing where the provider always sends one; unverifiable: the provider signs nothing (iPay),
 * so the delivery may only trigger a status check.
 */
export type Verdict = "authentic" | "forged" | "unverifiable";

export type RefundInput = { payment: PaymentHandle; amountMinor: number; reason?: string };
export type RefundResult = { status: "succeeded" | "pending" | "failed"; providerReference?: string; trace: ExchangeTrace };

/** `retryAfterSeconds`: what the answer's Retry-After header asked for (seconds, or an HTTP date made relative). */
export type ExchangeTrace = { request?: unknown; response?: unknown; httpStatus?: number; durationMs?: number; retryAfterSeconds?: number };

export type Capabilities = {
  methods: readonly PaymentMethod[];
  currencies: readonly string[];
  countries: readonly string[];
  refunds: "none" | "full" | "partial";
  /** How long a shopper has before the provider's window closes, when it has one. */
  windowMinutes?: number;
  /** How often reconciliation may ask the status API, at most. */
  statusRatePerMinute?: number;
};

/** What a method needs from the shopper beyond name, phone and country. */
export type CustomerRequirement = "email" | "billing";

export type AmountCheck = { ok: true } | { ok: false; code: string; message: { fr: string; en: string } };

export interface PaymentProvider<C = unknown> {
  id: ProviderId;
  displayName: string;
  capabilities: Capabilities;
  /** zod schema of the credentials a merchant stores for this provider. */
  credentialsSchema: z.ZodType<C>;
  /** The non-secret identifier the provider puts on the wire (site_id, merchant_key, …). */
  publicId(credentials: C): string;
  /**
   * What the shopper must give for this method, asked on the checkout before any order exists
   * (CinetPay's card channel: e-mail and billing address). Absent: nothing beyond the basics.
   */
  requiredCustomerData?(method: PaymentMethod): readonly CustomerRequirement[];
  /** Provider amount rules, enforced before any call (CinetPay: multiple of 5, ≥ 100). */
  checkAmount(amountMinor: number, currency: string): AmountCheck;
  initialize(input: InitializeInput, ctx: ProviderContext<C>): Promise<InitializeResult>;
  /** `evidence`: what the triggering delivery or return carried (see StatusEvidence). */
  getStatus(payment: PaymentHandle, ctx: ProviderContext<C>, evidence?: StatusEvidence): Promise<StatusResult>;
  parseNotification(request: InboundRequest): ParsedNotification | null;
  verifyNotification(request: InboundRequest, payment: PaymentHandle, ctx: ProviderContext<C>): Verdict;
  /**
   * Whether this status (the provider's own word) confirms that the attempt never started or was
   * cancelled at the provider, so that a shopper's "cancel" may close it locally (Orange
   * INITIATED). Absent or false: a prompt may be live on the shopper's phone, and only the
   * provider decides.
   */
  shopperMayCancel?(providerStatus: string): boolean;
  /** What to answer the provider once the delivery is handled (iPay IPN wants plain text, etc.). */
  acknowledge?(verdict: Verdict | "duplicate" | "processed"): { status: number; body?: string; contentType?: string };
  /**
   * Asks the provider one harmless question with `ctx.credentials` (a status check of a
   * transaction that cannot exist, or a token request) and says whether it took them. Never
   * throws: a provider that cannot be asked is `unreachable`.
   */
  testConnection(ctx: ProviderContext<C>): Promise<ConnectionResult>;
  refund?(input: RefundInput, ctx: ProviderContext<C>): Promise<RefundResult>;
  /**
   * Where a refund stands at the provider, for one whose call timed out or was left pending
   * (reconciliation follows it). Adapters that cannot ask leave it out: the refund stays pending
   * and visible for a person.
   */
  refundStatus?(input: RefundInput, ctx: ProviderContext<C>): Promise<RefundResult>;
}

/**
 * What testConnection found: the provider took the credentials (`works`), refused them
 * (`refused`), or could not be asked (`unreachable`: timeout, connection refused, 5xx, 429).
 * `detail` is the provider's own word (a code, an HTTP status), for the merchant and the logs;
 * never a credential.
 */
export type ConnectionResult = { outcome: "works" | "refused" | "unreachable"; detail: string; httpStatus?: number };

export type ProviderErrorDetails = { httpStatus?: number; trace?: ExchangeTrace; userMessage?: { fr: string; en: string }; retryAfterSeconds?: number };

export class ProviderError extends Error {
  readonly details: ProviderErrorDetails;
  constructor(
    readonly provider: ProviderId,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    details: ProviderErrorDetails = {},
  ) {
    super(`[${provider}] ${code}: ${message}`);
    this.name = "ProviderError";
    // Every adapter hands over the exchange's trace; the provider's Retry-After travels in it.
    const retryAfterSeconds = details.retryAfterSeconds ?? details.trace?.retryAfterSeconds;
    this.details = retryAfterSeconds === undefined ? details : { ...details, retryAfterSeconds };
  }
}
