import { ProviderError, type ExchangeTrace, type ProviderContext, type ProviderId } from "./types";
import { redact } from "./redact";
import { addProviderTime } from "./timing";
import { send, type Answer, type Outgoing } from "./transport";

export type ProviderRequest = {
  method?: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Only idempotent calls (status checks) are retried, and only on network errors and 5xx. */
  idempotent?: boolean;
};

export type ProviderResponse = { status: number; text: string; json: unknown; trace: ExchangeTrace };

const USER_AGENT = "Caisse/0.1 (+https://github.com/caisse)"; // CinetPay's edge answers 1010 without one

/**
 * The one way adapters talk to providers: a hard timeout, a User-Agent, tolerant JSON parsing,
 * redacted traces, and at most two quick retries for idempotent calls.
 */
export async function providerFetch(provider: ProviderId, ctx: ProviderContext<unknown>, req: ProviderRequest): Promise<ProviderResponse> {
  const attempts = req.idempotent ? 3 : 1;
  let lastError: ProviderError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await once(provider, ctx, req);
      if (response.status >= 500 && attempt < attempts) {
        lastError = new ProviderError(provider, "provider_unavailable", `HTTP ${response.status}`, true, { httpStatus: response.status, trace: response.trace });
        await sleep(100 * attempt);
        continue;
      }
      return response;
    } catch (error) {
      lastError = error instanceof ProviderError ? error : new ProviderError(provider, "network_error", String(error), true);
      if (!lastError.retryable || attempt === attempts) throw lastError;
      await sleep(100 * attempt);
    }
  }
  throw lastError!;
}

async function once(provider: ProviderId, ctx: ProviderContext<unknown>, req: ProviderRequest): Promise<ProviderResponse> {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "application/json", ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(req.json);
  } else if (req.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(req.form).toString();
  }
  const started = performance.now();
  const trace: ExchangeTrace = { request: { method: req.method ?? "POST", url: req.url, body: redact(req.json ?? req.form ?? null) } };
  const init = { method: req.method ?? "POST", headers, body, timeoutMs: ctx.timeoutMs };
  let answer: Answer;
  try {
    answer = await (ctx.fetch ? viaFetch(ctx.fetch, req.url, init) : send(req.url, init));
  } catch (error) {
    addProviderTime(performance.now() - started);
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    trace.durationMs = Math.round(performance.now() - started);
    throw new ProviderError(provider, timedOut ? "timeout" : "network_error", timedOut ? `no answer within ${ctx.timeoutMs} ms` : String(error), true, { trace });
  }
  const { status, text } = answer;
  // The provider's share of a checkout: from sending the request to having its whole answer.
  addProviderTime(performance.now() - started);
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  trace.httpStatus = status;
  trace.durationMs = Math.round(performance.now() - started);
  const retryAfterSeconds = parseRetryAfter(answer.retryAfter);
  if (retryAfterSeconds !== undefined) trace.retryAfterSeconds = retryAfterSeconds;
  trace.response = json === undefined ? text.slice(0, 500) : redact(json);
  return { status, text, json, trace };
}

/** An injected fetch (tests that count or bend provider calls) instead of the default transport. */
async function viaFetch(fetchImpl: typeof fetch, url: string, init: Outgoing): Promise<Answer> {
  const res = await fetchImpl(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs), redirect: "manual" });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get("retry-after") ?? undefined };
}

/**
 * A Retry-After header (RFC 9110 §10.2.3) as whole seconds from now: delay-seconds, or an
 * HTTP-date. Anything else (absent, garbled) is undefined: the caller picks its own wait.
 */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP-date names its day and month; Date.parse alone would read "-5" as a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
