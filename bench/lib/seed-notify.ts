import type { Sql } from "postgres";

/**
 * A batch of payments waiting for their notification: for the demo merchant, `count` open
 * orders each with one pending CinetPay payment, plus the simulator's side of each (a
 * sandbox_transactions row already ACCEPTED), so the status API answers "paid" for all of them.
 * Everything is made by set-based SQL (generate_series): seconds for tens of thousands of rows.
 */
export type PaymentBatch = {
  tag: string;
  count: number;
  /** Payment references in batch order (index i ↔ reference i). */
  references: string[];
  paymentIds: string[];
  amountMinor: number;
  currency: string;
  siteId: string;
};

export const BATCH_AMOUNT_MINOR = 5000;

export async function seedPaymentBatch(sql: Sql, options: { tag: string; count: number; merchantSlug: string; notifyUrl: string }): Promise<PaymentBatch> {
  const { tag, count } = options;
  if (!/^[A-Z0-9]{1,6}$/.test(tag)) throw new Error(`batch tag must be 1–6 upper-case alphanumerics: ${tag}`);
  const [account] = await sql<{ merchantId: string; merchantName: string; accountId: string; siteId: string }[]>`
    select m.id as "merchantId", m.name as "merchantName", pa.id as "accountId", pa.sandbox_public_id as "siteId" -- the simulator knows the sandbox set
    from merchants m join provider_accounts pa on pa.merchant_id = m.id and pa.provider = 'cinetpay'
    where m.slug = ${options.merchantSlug}`;
  if (!account) throw new Error(`no CinetPay account for merchant ${options.merchantSlug}`);
  const amount = BATCH_AMOUNT_MINOR;
  // References: "BN" + tag + zero-padded index — alphanumeric and ≤ 30 chars, like ours.
  const ref = sql`('BN' || ${tag}::text || lpad(i::text, 7, '0'))`;

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
             'cinetpay', 'orange_money', ${ref}, md5(${tag}::text || i::text), jsonb_build_object('transactionId', ${ref}), ${amount}::int, 'XOF',
             'pending', '+2250707070707', now() + interval '1 day', now() + interval '1 hour', now(), now()
      from generate_series(1, ${count}) as i`;
    // The simulator's own record: what /v2/payment/check reports and what its notifications carry.
    await tx`
      insert into sandbox_transactions (id, provider, account_id, merchant_reference, token, amount_minor, currency, status, method, phone,
                                        provider_transaction_id, request, state)
      select 'sbx_bench' || ${tag}::text || lpad(i::text, 7, '0'), 'cinetpay', ${account.siteId}, ${ref}, md5(${tag}::text || i::text), ${amount}::int, 'XOF',
             'ACCEPTED', 'OM', '0707070707', 'MP' || ${tag}::text || lpad(i::text, 8, '0'),
             jsonb_build_object('notify_url', ${options.notifyUrl}::text, 'description', 'Commande bench ' || i, 'lang', 'fr',
                                'customer_country', 'CI', 'metadata', json_build_object('reference', ${ref})::text, 'transaction_id', ${ref},
                                'amount', ${amount}::int, 'currency', 'XOF', 'channels', 'MOBILE_MONEY'),
             jsonb_build_object('code', '00', 'message', 'SUCCES', 'wireAmount', ${amount}::int, 'signature', substr(md5('sig' || ${tag}::text || i::text), 1, 16),
                                'merchantName', ${account.merchantName}::text, 'paidAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
      from generate_series(1, ${count}) as i`;
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
    amountMinor: amount,
    currency: "XOF",
    siteId: account.siteId,
  };
}
