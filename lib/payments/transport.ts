import { request } from "undici";

export type Outgoing = { method: "GET" | "POST"; headers: Record<string, string>; body?: string; timeoutMs: number };

/**
 * How provider calls leave Caisse by default: undici's request() on its keep-alive pools, the
 * whole exchange under one deadline, redirects never followed (a provider that redirects an API
 * call is answering wrongly). Not the global fetch: inside Next it is wrapped for the data cache,
 * and its web-stream bodies cost this process about as much CPU per status check as the rest of
 * a notification's handling (bench/notify.ts, profiled with BENCH_PROFILE_DIR).
 */
export type Answer = { status: number; text: string; retryAfter?: string };

export async function send(url: string, out: Outgoing): Promise<Answer> {
  const signal = AbortSignal.timeout(out.timeoutMs);
  const res = await request(url, { method: out.method, headers: out.headers, body: out.body, signal });
  const retryAfter = res.headers["retry-after"];
  return { status: res.statusCode, text: await res.body.text(), retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
}
