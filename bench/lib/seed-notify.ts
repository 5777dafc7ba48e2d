import { like } from "drizzle-orm";
import type { PendingQuery, Row, Sql, TransactionSql } from "postgres";
import type { Db } from "@/db/client";
import { sandboxTransactions } from "@/db/schema";
import { statusNotification } from "@/lib/sandbox/cinetpay/notifications";
import type { Notification } from "./notify-load";

/**
 * A batch of payments waiting for their notification: for the demo merchant, `count` open
 * orders each with one pending payment (CinetPay; KKiaPay in seed-kkiapay.ts), plus the
 * simulator's side of each (a sandbox_transactions row already final), so the status API answers
 * "paid" for all of them, or "refused" for every `refusedEvery`-th when asked.
 * Everything is made by set-based SQL (generate_series): seconds for tens of thousands of rows.
 */
export type PaymentBatch = {
  tag: string;
  count: number;
  /** Payment references in batch order (index i ↔ reference i). */
  references: string[];
  paymentIds: string[];
  /** Batch indexes the provider refused (its ground truth: every other one is ACCEPTED). */
  refused: Set<number>;
  amountMinor: number;
  currency: string;
  siteId: string;
};

export const BATCH_AMOUNT_MINOR = 5000;

export type BatchOptions = {
  tag: string;
  count: number;
  merchantSlug: string;
  notifyUrl: string;
  refusedEvery?: number;
  /**
   * When the first reconciliation check falls due, from now. Default an hour: a benchmark of
   * notifications alone. A payment just initialized is first checked after 15 s (start.ts).
   */
  firstCheckInMs?: number;
  /**
   * Also write each payment's created → pending transition event, as start.ts does, so the
   * ledger's event chain (lib/ledger) holds on the batch.
   */
  initTransitions?: boolean;
};

/** The batch's account: the merchant's account for the provider, with the sandbox set the simulator knows. */
export type BatchAccount = { merchantId: string; merchantName: string; accountId: string; publicId: string };

/** What differs between providers' batches: the payment's own columns and the simulator's record. */
export type BatchSpec = {
  provider: "cinetpay" | "kkiapay";
  method: string;
  /** SQL over `i` (the batch index, from 1) and `ref` (its reference) for the payment's provider_token and stored columns. */
  paymentColumns: (sql: Sql, ref: Fragment) => { providerToken: Fragment; stored: Fragment };
  /** Inserts the simulator's final transaction for every index; `refused` is true for the provider's refusals. */
  insertTransactions: (tx: TransactionSql, batch: { tag: string; count: number; ref: Fragment; refused: Fragment; amount: number; account: BatchAccount }) => Promise<unknown>;
};

type Fragment = PendingQuery<Row[]>;

const cinetpay = (notifyUrl: string): BatchSpec => ({
  provider: "cinetpay",
  method: "orange_money",
  paymentColumns: (sql, ref) => ({ providerToken: sql`md5(i::text || ${ref})`, stored: sql`jsonb_build_object('transactionId', ${ref})` }),
  // What /v2/payment/check reports and what its notifications carry.
  insertTransactions: (tx, { tag, count, ref, refused, amount, account }) => tx`
    insert into sandbox_transactions (id, provider, account_id, merchant_reference, token, amount_minor, currency, status, method, phone,
                                      provider_transaction_id, request, state)
    select 'sbx_bench' || ${tag}::text || lpad(i::text, 7, '0'), 'cinetpay', ${account.publicId}, ${ref}, md5(i::text || ${ref}), ${amount}::int, 'XOF',
           case when ${refused} then 'REFUSED' else 'ACCEPTED' end, 'OM', '0707070707', 'MP' || ${tag}::text || lpad(i::text, 8, '0'),
           jsonb_build_object('notify_url', ${notifyUrl}::text, 'description', 'Commande bench ' || i, 'lang', 'fr',
                              'customer_country', 'CI', 'metadata', json_build_object('reference', ${ref})::text, 'transaction_id', ${ref},
                              'amount', ${amount}::int, 'currency', 'XOF', 'channels', 'MOBILE_MONEY'),
           case when ${refused}
             then jsonb_build_object('code', '600', 'message', 'PAYMENT_FAILED', 'wireAmount', ${amount}::int, 'signature', substr(md5('sig' || ${tag}::text || i::text), 1, 16),
                                     'merchantName', ${account.merchantName}::text)
             else jsonb_build_object('code', '00', 'message', 'SUCCES', 'wireAmount', ${amount}::int, 'signature', substr(md5('sig' || ${tag}::text || i::text), 1, 16),
                                     'merchantName', ${account.merchantName}::text, 'paidAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) end
    from generate_series(1, ${count}) as i`,
});

/** A batch of pending CinetPay payments (see PaymentBatch). */
export function seedPaymentBatch(sql: Sql, options: BatchOptions): Promise<PaymentBatch> {
  return seedBatch(sql, cinetpay(options.notifyUrl), options);
}

export async function seedBatch(sql: Sql, spec: BatchSpec, options: Omit<BatchOptions, "notifyUrl">): Promise<PaymentBatch> {
  const { tag, count } = options;
  const refusedEvery = options.refusedEvery ?? 0;
  const firstCheckInMs = options.firstCheckInMs ?? 3_600_000;
  if (!/^[A-Z0-9]{1,6}$/.test(tag)) throw new Error(`batch tag must be 1–6 upper-case alphanumerics: ${tag}`);
  const [account] = await sql<BatchAccount[]>`
    select m.id as "merchantId", m.name as "merchantName", pa.id as "accountId", pa.sandbox_public_id as "publicId" -- the simulator knows the sandbox set
    from merchants m join provider_accounts pa on pa.merchant_id = m.id and pa.provider = ${spec.provider}
    where m.slug = ${options.merchantSlug}`;
  if (!account) throw new Error(`no ${spec.provider} account for merchant ${options.merchantSlug}`);
  const amount = BATCH_AMOUNT_MINOR;
  // References: "BN" + tag + zero-padded index — alphanumeric and ≤ 30 chars, like ours.
  const ref = sql`('BN' || ${tag}::text || lpad(i::text, 7, '0'))`;
  const refused = sql`(${refusedEvery}::int > 0 and i % ${refusedEvery}::int = 0)`;
  const columns = spec.paymentColumns(sql, ref);

  await sql.begin(async (tx) => {
    await tx`
      insert into orders (id, merchant_id, reference, amount_minor, currency, status, customer_name, customer_email, customer_phone, customer_country, locale)
      select 'ord_bench' || ${tag}::text || lpad(i::text, 7, '0'), ${account.merchantId}, 'B' || ${tag}::text || '-' || lpad(i::text, 7, '0'), ${amount}::int, 'XOF', 'open',
             'Client Bench', 'bench@example.ci', '+2250707070707', 'CI', 'fr'
      from generate_series(1, ${count}) as i`;
    await tx`
      insert into payments (id, order_id, merchant_id, provider_account_id, provider, method, reference, provider_token, stored, amount_minor, currency,
                            status, customer_phone, expires_at, next_check_at, created_at, updated_at)
      select 'pay_bench' || ${tag}::text || lpad(i::text, 7, '0'), 'ord_bench' || ${tag}::text || lpad(i::text, 7, '0'), ${account.merchantId}, ${account.accountId},
             ${spec.provider}, ${spec.method}, ${ref}, ${columns.providerToken}, ${columns.stored}, ${amount}::int, 'XOF',
             'pending', '+2250707070707', now() + interval '1 day', now() + make_interval(secs => ${firstCheckInMs / 1000}::float8), now(), now()
      from generate_series(1, ${count}) as i`;
    await spec.insertTransactions(tx, { tag, count, ref, refused, amount, account });
    if (options.initTransitions) {
      await tx`
        insert into payment_events (payment_id, merchant_id, type, from_status, to_status, actor, data)
        select 'pay_bench' || ${tag}::text || lpad(i::text, 7, '0'), ${account.merchantId}, 'transition', 'created', 'pending', ${spec.provider}, '{}'::jsonb
        from generate_series(1, ${count}) as i`;
    }
  });
  await sql`analyze orders`;
  await sql`analyze payments`;
  await sql`analyze sandbox_transactions`;
  const pad = (i: number) => String(i).padStart(7, "0");
  const indexes = Array.from({ length: count }, (_, k) => k + 1);
  return {
    tag,
    count,
    references: indexes.map((i) => `BN${tag}${pad(i)}`),
    paymentIds: indexes.map((i) => `pay_bench${tag}${pad(i)}`),
    refused: new Set(refusedEvery > 0 ? indexes.filter((i) => i % refusedEvery === 0).map((i) => i - 1) : []),
    amountMinor: amount,
    currency: "XOF",
    siteId: account.publicId,
  };
}

/** The simulator's own notification for each transaction of the batch, keyed by batch index. */
export async function notificationsFor(db: Db, batch: PaymentBatch, secretKey: string): Promise<Notification[]> {
  const txns = await db.select().from(sandboxTransactions).where(like(sandboxTransactions.merchantReference, `BN${batch.tag}%`));
  const index = new Map(batch.references.map((r, i) => [r, i]));
  const out: Notification[] = new Array(batch.count);
  for (const txn of txns) {
    const key = index.get(txn.merchantReference);
    if (key === undefined) continue;
    const delivery = statusNotification(txn, secretKey, false);
    out[key] = { key, headers: { ...delivery.headers, "user-agent": "CinetPay-bench" }, body: delivery.body };
  }
  let missing = 0;
  for (let i = 0; i < batch.count; i++) if (!out[i]) missing++;
  if (missing > 0) throw new Error(`batch ${batch.tag}: ${missing} of ${batch.count} simulator transactions missing (found ${txns.length})`);
  return out;
}
