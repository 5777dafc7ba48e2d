/**
 * The baseline for the notification benchmark: the least a CinetPay notify_url can do and still
 * be correct, on node:http + postgres.js with no framework. Per request, like the app:
 *   parse the form → check the x-token HMAC (same function) and site id → find the payment →
 *   record the delivery with the same (provider, dedupe_key) ON CONFLICT (a duplicate answers 200
 *   at once) → ask the simulator's /v2/payment/check over HTTP → compare amount and currency →
 *   one transaction: conditional UPDATE of the payment + its transition event + the order paid +
 *   the delivery marked processed.
 * What it leaves out compared with the app: the ledger rows for the notification and the status
 * check, redaction, the per-request account lookup and decryption (it keeps the merchant's
 * credentials in memory), Next's routing and React server runtime.
 * Usage: tsx bench/lib/baseline-server.ts <databaseUrl> <port> <sandboxUrl> <poolMax>
 */
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { decryptJson } from "@/lib/crypto";
import { xTokenMatches } from "@/lib/payments/providers/cinetpay/signature";
import { BENCH_ENCRYPTION_KEY } from "./app";

const [databaseUrl, portArg, sandboxUrl, poolMaxArg] = process.argv.slice(2);
const sql = postgres(databaseUrl!, { max: Number(poolMaxArg ?? 10), onnotice: () => {} });
const MERCHANT_SLUG = "demo";

const [account] = await sql<{ merchantId: string; credentialsEncrypted: string }[]>`
  select pa.merchant_id as "merchantId", pa.sandbox_credentials_encrypted as "credentialsEncrypted"
  from provider_accounts pa join merchants m on m.id = pa.merchant_id
  where m.slug = ${MERCHANT_SLUG} and pa.provider = 'cinetpay'`;
if (!account) throw new Error("baseline: no CinetPay account for the demo merchant");
const merchantId = account.merchantId;
const credentials = decryptJson<{ apiKey: string; siteId: string; secretKey: string }>(account.credentialsEncrypted, BENCH_ENCRYPTION_KEY);
const notifyPath = `/api/webhooks/cinetpay/${MERCHANT_SLUG}`;
const checkUrl = `${sandboxUrl!.replace(/\/$/, "")}/sandbox/cinetpay/v2/payment/check`;

const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString("base64url").slice(0, 22)}`;

async function handle(body: string, xToken: string | undefined): Promise<[number, string]> {
  const form = Object.fromEntries(new URLSearchParams(body));
  const reference = form.cpm_trans_id;
  if (!reference) return [400, "unparseable notification"];
  if (!xTokenMatches(credentials.secretKey, form, xToken) || form.cpm_site_id !== credentials.siteId) return [401, "invalid x-token"];

  const [payment] = await sql<{ id: string; orderId: string; amountMinor: string; currency: string }[]>`
    select id, order_id as "orderId", amount_minor as "amountMinor", currency
    from payments where provider = 'cinetpay' and merchant_id = ${merchantId} and reference = ${reference} limit 1`;
  if (!payment) return [404, "unknown payment"];

  const dedupeKey = `${reference}:${form.cpm_error_message ?? ""}:${xToken!.trim().toLowerCase()}`;
  const [delivery] = await sql<{ id: string }[]>`
    insert into notifications (id, provider, merchant_id, payment_id, dedupe_key, verdict, method, headers, body)
    values (${newId("ntf")}, 'cinetpay', ${merchantId}, ${payment.id}, ${dedupeKey}, 'authenticated', 'POST',
            ${sql.json({ "content-type": "application/x-www-form-urlencoded" })}, ${body})
    on conflict (provider, dedupe_key) do nothing
    returning id`;
  if (!delivery) return [200, "OK"];

  const res = await fetch(checkUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Caisse-baseline/0.1", accept: "application/json" },
    body: JSON.stringify({ apikey: credentials.apiKey, site_id: credentials.siteId, transaction_id: reference }),
    signal: AbortSignal.timeout(8000),
  });
  const check = (await res.json()) as { code?: string; data?: { status?: string; amount?: string; currency?: string; operator_id?: string | null } };
  const paid =
    check.data?.status === "ACCEPTED" && check.data.currency === payment.currency && Number(check.data.amount) === Number(payment.amountMinor);
  if (!paid) return [200, "OK"];

  await sql.begin(async (tx) => {
    const [updated] = await tx<{ id: string }[]>`
      update payments set status = 'paid', paid_at = now(), provider_reference = coalesce(provider_reference, ${check.data?.operator_id ?? null}),
             last_checked_at = now(), check_attempts = check_attempts + 1, next_check_at = null, updated_at = now()
      where id = ${payment.id} and status in ('created', 'pending', 'waiting_for_customer')
      returning id`;
    if (updated) {
      await tx`
        insert into payment_events (payment_id, merchant_id, type, from_status, to_status, actor, data)
        values (${payment.id}, ${merchantId}, 'transition', 'pending', 'paid', 'notification', ${tx.json({ providerStatus: "ACCEPTED" })})`;
      await tx`update orders set status = 'paid', paid_at = now(), updated_at = now() where id = ${payment.orderId}`;
    }
    await tx`update notifications set verdict = 'processed', processed_at = now() where id = ${delivery.id}`;
  });
  return [200, "OK"];
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== notifyPath) {
    res.writeHead(req.method === "GET" ? 200 : 404, { "content-type": "text/plain" }).end(req.method === "GET" ? "OK" : "Not Found");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const token = req.headers["x-token"];
    handle(Buffer.concat(chunks).toString("utf8"), Array.isArray(token) ? token[0] : token).then(
      ([status, text]) => res.writeHead(status, { "content-type": "text/plain" }).end(text),
      (error: unknown) => {
        console.error(`baseline: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(503, { "content-type": "text/plain" }).end("temporarily unavailable");
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(portArg), "127.0.0.1", () => console.log(`baseline listening on http://127.0.0.1:${portArg}`));
