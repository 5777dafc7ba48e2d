import { ProviderError, type ExchangeTrace, type ProviderContext, type ProviderId } from "./types";
import { redact } from "./redact";
import { addProviderTime } from "./timing";

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
  let res: Response;
  try {
    res = await (ctx.fetch ?? fetch)(req.url, { method: req.method ?? "POST", headers, body, signal: AbortSignal.timeout(ctx.timeoutMs), redirect: "manual" });
  } catch (error) {
    addProviderTime(performance.now() - started);
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    trace.durationMs = Math.round(performance.now() - started);
    throw new ProviderError(provider, timedOut ? "timeout" : "network_error", timedOut ? `no answer within ${ctx.timeoutMs} ms` : String(error), true, { trace });
  }
  const text = await res.text();
  // The provider's share of a checkout: from sending the request to having its whole answer.
  addProviderTime(performance.now() - started);
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  trace.httpStatus = res.status;
  trace.durationMs = Math.round(performance.now() - started);
  trace.response = json === undefined ? text.slice(0, 500) : redact(json);
  return { status: res.status, text, json, trace };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
