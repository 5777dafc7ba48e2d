import { and, eq, like } from "drizzle-orm";
import type { Sql } from "postgres";
import type { Db } from "@/db/client";
import { sandboxTransactions } from "@/db/schema";
import { webhookBody } from "@/lib/sandbox/kkiapay/notifications";
import type { Notification } from "./notify-load";
import { seedBatch, type BatchOptions, type BatchSpec, type PaymentBatch } from "./seed-notify";

/**
 * A batch of pending KKiaPay payments (see PaymentBatch): the widget has run, so each has a
 * transaction at the simulator (SUCCESS, or FAILED for every `refusedEvery`-th) carrying our
 * reference as its `data`, and the payment does not know its transaction id yet: only the signed
 * webhook (or the shopper's return) tells it. Without either, nothing can find the transaction.
 */
const kkiapay: BatchSpec = {
  provider: "kkiapay",
  method: "mtn",
  paymentColumns: (sql) => ({ providerToken: sql`null`, stored: sql`'{}'::jsonb` }),
  insertTransactions: (tx, { tag, count, ref, refused, amount, account }) => tx`
    insert into sandbox_transactions (id, provider, account_id, merchant_reference, token, amount_minor, currency, status, method, phone,
                                      provider_transaction_id, fee_minor, request, state)
    select 'sbx_bench' || ${tag}::text || lpad(i::text, 7, '0'), 'kkiapay', ${account.publicId}, ${ref}, 'K' || ${tag}::text || lpad(i::text, 7, '0'), ${amount}::int, 'XOF',
           case when ${refused} then 'FAILED' else 'SUCCESS' end, 'mtn', '97000000', 'MP' || ${tag}::text || lpad(i::text, 8, '0'), round(${amount}::int * 0.019)::int,
           jsonb_build_object('amount', ${amount}::int, 'key', ${account.publicId}::text, 'sandbox', true, 'data', ${ref}, 'name', 'Client Bench', 'reason', 'Commande bench ' || i),
           jsonb_build_object('performedAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'stateData', ${ref}, 'partnerId', '', 'source', 'MOBILE_MONEY', 'country', 'BJ')
             || case when ${refused} then jsonb_build_object('failureCode', 'insufficient_fund', 'failureMessage', 'Solde insuffisant') else '{}'::jsonb end
    from generate_series(1, ${count}) as i`,
};

export function seedKkiapayBatch(sql: Sql, options: Omit<BatchOptions, "notifyUrl">): Promise<PaymentBatch> {
  return seedBatch(sql, kkiapay, options);
}

/** The simulator's own webhook for each transaction of the batch (§3.3 body, x-kkiapay-secret), keyed by batch index. */
export async function kkiapayNotificationsFor(db: Db, batch: PaymentBatch, secretKey: string): Promise<Notification[]> {
  const txns = await db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "kkiapay"), like(sandboxTransactions.merchantReference, `BN${batch.tag}%`)));
  const index = new Map(batch.references.map((r, i) => [r, i]));
  return txns
    .filter((txn) => index.has(txn.merchantReference))
    .map((txn) => ({
      key: index.get(txn.merchantReference)!,
      headers: { "content-type": "application/json", "x-kkiapay-secret": secretKey, "user-agent": "KKiaPay-bench" },
      body: JSON.stringify(webhookBody(txn, false)),
    }))
    .sort((a, b) => a.key - b.key);
}
