import { z } from "zod";

/**
 * The only reader of process.env. Validated lazily (on first use) so that `next build`, which
 * runs with NODE_ENV=production but without runtime secrets, never trips over missing values.
 */

// Development and test defaults: they let `npm run dev` and the test suites run on a fresh
// machine. Production refuses them (see below), so they can never protect real data.
const DEV_SECRET = "caisse-dev-secret-not-for-production";
const DEV_ENCRYPTION_KEY = "Y2Fpc3NlLWRldi1rZXktMzItYnl0ZXMtbm90LXByb2Q="; // 32 bytes, base64

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const url = z.url({ protocol: /^https?$/ });

/** scheme://host[:port] and nothing more, lower-cased as browsers compare origins. */
const origin = url.pipe(
  z
    .string()
    .refine((v) => {
      const u = new URL(v);
      return u.pathname === "/" && !u.search && !u.hash && !u.username && !u.password;
    }, "must be an origin (scheme://host[:port]), without a path")
    .transform((v) => new URL(v).origin),
);

/** APP_URL as the app uses it (see parseEnv). */
function appUrlOf(e: { APP_URL?: string; NEXTAUTH_URL?: string }): string {
  return (e.APP_URL ?? e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    NEXTAUTH_URL: url.optional(),
    APP_URL: url.optional(),
    /** Where sandbox-mode adapters reach the simulators, when they run apart from this app. */
    SANDBOX_URL: url.optional(),
    /**
     * Serve the simulators from an origin of their own, so that their pages never run on the
     * dashboard's: /sandbox answers only under this Host, and sandbox-mode adapters use it.
     */
    SANDBOX_ORIGIN: z.preprocess((v) => (v === "" ? undefined : v), origin.optional()),
    CAISSE_ENCRYPTION_KEY: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || Buffer.from(v, "base64").length === 32,
        "must be 32 bytes encoded in base64 (openssl rand -base64 32)",
      ),
    SANDBOX_ENABLED: bool,
    /**
     * The simulators may send notifications and shoppers to loopback on any port, besides APP_URL's
     * origin. Off in production (it would let anyone with the demo keys reach this machine's own
     * services); the end-to-end suite turns it on for its receivers.
     */
    SANDBOX_LOOPBACK_TARGETS: bool,
    /**
     * Sandbox webhook endpoints may point at loopback (a merchant's site on localhost). On outside
     * production; the end-to-end suite turns it on for its receivers. Live endpoints never may.
     */
    WEBHOOK_LOOPBACK_TARGETS: bool,
    SEED_ON_START: bool,
    /**
     * How many proxies of ours stand in front of the app, each appending to X-Forwarded-For. 0:
     * the header is the client's own words and is never read (see lib/auth/rate-limit.ts).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Run the reconciliation worker in this process (every instance may: they cooperate). */
    RECONCILE_ENABLED: bool,
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    /** Log the event-loop delay and memory every N seconds (0: never); see lib/runtime/metrics.ts. */
    RUNTIME_METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(0),
    /**
     * Where e-mail goes (smtp://user:pass@host:587, smtps://… for TLS from the start). Unset in
     * development: messages are kept and listed at /dev/outbox instead; unset in production:
     * they wait in the queue, retried, until it is set.
     */
    SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^smtps?$/ }).optional()),
    /** The sender of every e-mail ("Caisse <no-reply@example.com>" or a bare address). */
    MAIL_FROM: z.string().min(3).max(254).default("Caisse <no-reply@caisse.localhost>"),
    /** First retry delay of a message the SMTP server refused (doubled at each attempt). */
    MAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    CINETPAY_API_URL: url.default("https://api-checkout.cinetpay.com"),
    ORANGE_MONEY_API_URL: url.default("https://api.orange.com"),
    KKIAPAY_API_URL: url.default("https://api.kkiapay.me"),
    IPAY_API_URL: url.default("https://apis.ipayafrica.com"),
    IPAY_CHECKOUT_URL: url.default("https://payments.ipayafrica.com"),
    IPAY_IPN_URL: url.default("https://www.ipayafrica.com/ipn/"),
  })
  .superRefine((e, ctx) => {
    // Runs even when a field failed above, so nothing here may assume a valid URL.
    if (e.SANDBOX_ORIGIN && URL.canParse(appUrlOf(e)) && e.SANDBOX_ORIGIN === new URL(appUrlOf(e)).origin) {
      ctx.addIssue({ code: "custom", path: ["SANDBOX_ORIGIN"], message: "must differ from APP_URL's origin (it exists to keep the simulators off it)" });
    }
    if (e.NODE_ENV !== "production") return;
    for (const key of ["NEXTAUTH_SECRET", "CAISSE_ENCRYPTION_KEY"] as const) {
      if (!e[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required in production" });
    }
  });

type Raw = z.infer<typeof schema>;
/** SEED_ON_START stays undefined when not said: development then has the demo, nothing else does (demoEnabled). */
export type Env = Omit<Raw, "NEXTAUTH_SECRET" | "CAISSE_ENCRYPTION_KEY" | "SANDBOX_ENABLED" | "SANDBOX_LOOPBACK_TARGETS" | "RECONCILE_ENABLED"> & {
  NEXTAUTH_SECRET: string;
  CAISSE_ENCRYPTION_KEY: string;
  SANDBOX_ENABLED: boolean;
  SANDBOX_LOOPBACK_TARGETS: boolean;
  RECONCILE_ENABLED: boolean;
  /** Origin used in URLs we hand to providers and shoppers (notify/return URLs, links). */
  APP_URL: string;
};

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    const lines = issues.map((i) => `  - ${i.path.join(".") || "(root)"} ${i.message}`);
    super(`Invalid environment configuration:\n${lines.join("\n")}\nSee the README's environment table.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) throw new EnvError(result.error.issues);
  const e = result.data;
  const production = e.NODE_ENV === "production";
  return {
    ...e,
    NEXTAUTH_SECRET: e.NEXTAUTH_SECRET ?? DEV_SECRET,
    CAISSE_ENCRYPTION_KEY: e.CAISSE_ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY,
    SANDBOX_ENABLED: e.SANDBOX_ENABLED ?? !production,
    SANDBOX_LOOPBACK_TARGETS: e.SANDBOX_LOOPBACK_TARGETS ?? !production,
    RECONCILE_ENABLED: e.RECONCILE_ENABLED ?? true,
    APP_URL: appUrlOf(e),
  };
}

/**
 * Demo merchants whose passwords the README prints, and the login page's hint naming one: only
 * under `npm run dev` (NODE_ENV=development) or when SEED_ON_START=true says so, never merely
 * because the sandbox is on. SEED_ON_START=false keeps even development empty.
 */
export function demoEnabled(e: Env): boolean {
  return e.SEED_ON_START ?? e.NODE_ENV === "development";
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    cached = parseEnv(process.env);
    // next-auth reads these two itself; keep it consistent with the validated values.
    process.env.NEXTAUTH_SECRET ??= cached.NEXTAUTH_SECRET;
    process.env.NEXTAUTH_URL ??= cached.APP_URL;
  }
  return cached;
}

