-- Daily rollups for the dashboard overview (db/schema/dashboard.ts), maintained by the database.
-- Time to pay in seconds → histogram bucket: 0 for [0, 1 s) (and unknown), k for
-- [2^((k-1)/4), 2^(k/4)) up to 68, 69 for 2^17 s and more. The thresholds are 2 ** (i / 4) for
-- i = 0..68 written as JavaScript prints them, so lib/dashboard/time-to-pay.ts has the very same doubles.
CREATE FUNCTION dashboard_time_to_pay_bucket(seconds double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(width_bucket(seconds, '{1, 1.189207115002721, 1.4142135623730951, 1.6817928305074292, 2, 2.378414230005442, 2.82842712474619, 3.3635856610148585, 4, 4.756828460010884, 5.65685424949238, 6.727171322029717, 8, 9.513656920021768, 11.31370849898476, 13.454342644059434, 16, 19.027313840043536, 22.62741699796952, 26.908685288118868, 32, 38.05462768008707, 45.25483399593904, 53.817370576237735, 64, 76.10925536017415, 90.50966799187808, 107.63474115247547, 128, 152.2185107203483, 181.01933598375615, 215.26948230495094, 256, 304.4370214406966, 362.0386719675123, 430.5389646099019, 512, 608.8740428813932, 724.0773439350246, 861.0779292198038, 1024, 1217.7480857627863, 1448.1546878700492, 1722.1558584396075, 2048, 2435.4961715255727, 2896.3093757400984, 3444.311716879215, 4096, 4870.992343051145, 5792.618751480197, 6888.62343375843, 8192, 9741.98468610229, 11585.237502960394, 13777.24686751686, 16384, 19483.96937220458, 23170.475005920787, 27554.49373503372, 32768, 38967.93874440916, 46340.950011841574, 55108.98747006744, 65536, 77935.87748881833, 92681.90002368315, 110217.97494013488, 131072}'::double precision[]), 0)::smallint
$$;
--> statement-breakpoint
-- A payment's contribution to the rollups: o (the row before, or NULL) is subtracted and n (the
-- row after, or NULL) added; contributions to the same rollup row are merged first and rows whose
-- net change is zero are not written, so a refund (collected → collected) or a status move between
-- undecided states touches nothing. Rows are written in key order (fewer lock-order surprises).
CREATE FUNCTION dashboard_rollup_payment(o payments, n payments) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF o.id IS NOT NULL AND n.id IS NOT NULL
     AND o.status IN ('created', 'pending', 'waiting_for_customer') AND n.status IN ('created', 'pending', 'waiting_for_customer')
     AND o.merchant_id = n.merchant_id AND o.provider = n.provider AND o.method = n.method
     AND (o.created_at AT TIME ZONE 'UTC')::date = (n.created_at AT TIME ZONE 'UTC')::date THEN
    RETURN;
  END IF;

  INSERT INTO payment_daily_stats AS s (merchant_id, day, provider, method, attempts, collected_count, failed_count,
    collected_amount_minor, collected_fee_minor, collected_net_minor, paid_count, paid_amount_minor)
  SELECT d.merchant_id, d.day, d.provider, d.method, sum(d.attempts), sum(d.collected), sum(d.failed),
    sum(d.amount), sum(d.fee), sum(d.net), sum(d.paid_count), sum(d.paid_amount)
  FROM (
    -- figures of the day the payment was created
    SELECT c.merchant_id, (c.created_at AT TIME ZONE 'UTC')::date AS day, c.provider, c.method, c.sign AS attempts,
      CASE WHEN c.collected THEN c.sign ELSE 0 END AS collected,
      CASE WHEN c.status IN ('failed', 'cancelled', 'expired') THEN c.sign ELSE 0 END AS failed,
      CASE WHEN c.collected THEN c.sign * c.amount_minor ELSE 0 END AS amount,
      CASE WHEN c.collected THEN c.sign * c.fee ELSE 0 END AS fee,
      CASE WHEN c.collected THEN c.sign * c.net ELSE 0 END AS net,
      0 AS paid_count, 0::bigint AS paid_amount
    FROM (
      SELECT -1 AS sign, o.merchant_id, o.provider, o.method, o.status, o.created_at, o.paid_at, o.amount_minor,
        coalesce(o.fee_reported_minor, o.fee_estimated_minor, 0) AS fee, coalesce(o.net_minor, 0) AS net,
        o.status IN ('paid', 'partially_refunded', 'refunded') AS collected
      WHERE o.id IS NOT NULL
      UNION ALL
      SELECT 1, n.merchant_id, n.provider, n.method, n.status, n.created_at, n.paid_at, n.amount_minor,
        coalesce(n.fee_reported_minor, n.fee_estimated_minor, 0), coalesce(n.net_minor, 0),
        n.status IN ('paid', 'partially_refunded', 'refunded')
      WHERE n.id IS NOT NULL
    ) c
    UNION ALL
    -- collected volume of the day it was paid
    SELECT c.merchant_id, (c.paid_at AT TIME ZONE 'UTC')::date, c.provider, c.method, 0, 0, 0, 0, 0, 0, c.sign, c.sign * c.amount_minor
    FROM (
      SELECT -1 AS sign, o.merchant_id, o.provider, o.method, o.paid_at, o.amount_minor
      WHERE o.id IS NOT NULL AND o.status IN ('paid', 'partially_refunded', 'refunded') AND o.paid_at IS NOT NULL
      UNION ALL
      SELECT 1, n.merchant_id, n.provider, n.method, n.paid_at, n.amount_minor
      WHERE n.id IS NOT NULL AND n.status IN ('paid', 'partially_refunded', 'refunded') AND n.paid_at IS NOT NULL
    ) c
  ) d
  GROUP BY d.merchant_id, d.day, d.provider, d.method
  HAVING sum(d.attempts) <> 0 OR sum(d.collected) <> 0 OR sum(d.failed) <> 0 OR sum(d.amount) <> 0 OR sum(d.fee) <> 0
    OR sum(d.net) <> 0 OR sum(d.paid_count) <> 0 OR sum(d.paid_amount) <> 0
  ORDER BY d.merchant_id, d.day, d.provider, d.method
  ON CONFLICT (merchant_id, day, provider, method) DO UPDATE SET
    attempts = s.attempts + excluded.attempts,
    collected_count = s.collected_count + excluded.collected_count,
    failed_count = s.failed_count + excluded.failed_count,
    collected_amount_minor = s.collected_amount_minor + excluded.collected_amount_minor,
    collected_fee_minor = s.collected_fee_minor + excluded.collected_fee_minor,
    collected_net_minor = s.collected_net_minor + excluded.collected_net_minor,
    paid_count = s.paid_count + excluded.paid_count,
    paid_amount_minor = s.paid_amount_minor + excluded.paid_amount_minor;

  INSERT INTO payment_time_to_pay AS h (merchant_id, day, provider, method, bucket, payments_count)
  SELECT c.merchant_id, (c.created_at AT TIME ZONE 'UTC')::date, c.provider, c.method,
    dashboard_time_to_pay_bucket(extract(epoch FROM c.paid_at - c.created_at)::double precision), sum(c.sign)
  FROM (
    SELECT -1 AS sign, o.merchant_id, o.provider, o.method, o.created_at, o.paid_at
    WHERE o.id IS NOT NULL AND o.status IN ('paid', 'partially_refunded', 'refunded') AND o.paid_at IS NOT NULL
    UNION ALL
    SELECT 1, n.merchant_id, n.provider, n.method, n.created_at, n.paid_at
    WHERE n.id IS NOT NULL AND n.status IN ('paid', 'partially_refunded', 'refunded') AND n.paid_at IS NOT NULL
  ) c
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(c.sign) <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (merchant_id, day, provider, method, bucket) DO UPDATE SET payments_count = h.payments_count + excluded.payments_count;
END
$$;
--> statement-breakpoint
CREATE FUNCTION payments_dashboard_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dashboard_rollup_payment(NULL, NEW);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dashboard_rollup_payment(OLD, NULL);
  ELSE
    PERFORM dashboard_rollup_payment(OLD, NEW);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_dashboard_rollup_insert_delete AFTER INSERT OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_dashboard_rollup();
--> statement-breakpoint
-- Only updates of a column the rollups read fire it: the notification path's bookkeeping
-- (last_checked_at, next_check_at, check_attempts, next_action, tokens, flag…) does not.
CREATE TRIGGER payments_dashboard_rollup_update AFTER UPDATE ON payments
  FOR EACH ROW WHEN (
    old.status IS DISTINCT FROM new.status
    OR old.merchant_id IS DISTINCT FROM new.merchant_id
    OR old.provider IS DISTINCT FROM new.provider
    OR old.method IS DISTINCT FROM new.method
    OR old.created_at IS DISTINCT FROM new.created_at
    OR old.paid_at IS DISTINCT FROM new.paid_at
    OR old.amount_minor IS DISTINCT FROM new.amount_minor
    OR old.fee_reported_minor IS DISTINCT FROM new.fee_reported_minor
    OR old.fee_estimated_minor IS DISTINCT FROM new.fee_estimated_minor
    OR old.net_minor IS DISTINCT FROM new.net_minor
  ) EXECUTE FUNCTION payments_dashboard_rollup();
--> statement-breakpoint
CREATE FUNCTION orders_dashboard_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO order_daily_counts AS s (merchant_id, day, orders_count)
    VALUES (OLD.merchant_id, (OLD.created_at AT TIME ZONE 'UTC')::date, -1)
    ON CONFLICT (merchant_id, day) DO UPDATE SET orders_count = s.orders_count - 1;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO order_daily_counts AS s (merchant_id, day, orders_count)
    VALUES (NEW.merchant_id, (NEW.created_at AT TIME ZONE 'UTC')::date, 1)
    ON CONFLICT (merchant_id, day) DO UPDATE SET orders_count = s.orders_count + 1;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_dashboard_rollup_insert_delete AFTER INSERT OR DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_dashboard_rollup();
--> statement-breakpoint
CREATE TRIGGER orders_dashboard_rollup_update AFTER UPDATE ON orders
  FOR EACH ROW WHEN (
    old.merchant_id IS DISTINCT FROM new.merchant_id
    OR (old.created_at AT TIME ZONE 'UTC')::date IS DISTINCT FROM (new.created_at AT TIME ZONE 'UTC')::date
  ) EXECUTE FUNCTION orders_dashboard_rollup();
--> statement-breakpoint
-- Recomputes every rollup from the raw rows. Writers wait meanwhile (SHARE locks), so the result
-- is exact at commit. Used by this migration's backfill and by bulk loads that insert with the
-- triggers disabled (bench/lib/seed-scale.ts).
CREATE FUNCTION rebuild_dashboard_rollups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE payments, orders IN SHARE MODE;
  DELETE FROM payment_daily_stats;
  DELETE FROM payment_time_to_pay;
  DELETE FROM order_daily_counts;

  INSERT INTO payment_daily_stats (merchant_id, day, provider, method, attempts, collected_count, failed_count,
    collected_amount_minor, collected_fee_minor, collected_net_minor, paid_count, paid_amount_minor)
  SELECT d.merchant_id, d.day, d.provider, d.method, sum(d.attempts), sum(d.collected), sum(d.failed),
    sum(d.amount), sum(d.fee), sum(d.net), sum(d.paid_count), sum(d.paid_amount)
  FROM (
    SELECT p.merchant_id, (p.created_at AT TIME ZONE 'UTC')::date AS day, p.provider, p.method, 1 AS attempts,
      (p.status IN ('paid', 'partially_refunded', 'refunded'))::int AS collected,
      (p.status IN ('failed', 'cancelled', 'expired'))::int AS failed,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN p.amount_minor ELSE 0 END AS amount,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN coalesce(p.fee_reported_minor, p.fee_estimated_minor, 0) ELSE 0 END AS fee,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN coalesce(p.net_minor, 0) ELSE 0 END AS net,
      0 AS paid_count, 0::bigint AS paid_amount
    FROM payments p
    UNION ALL
    SELECT p.merchant_id, (p.paid_at AT TIME ZONE 'UTC')::date, p.provider, p.method, 0, 0, 0, 0, 0, 0, 1, p.amount_minor
    FROM payments p
    WHERE p.status IN ('paid', 'partially_refunded', 'refunded') AND p.paid_at IS NOT NULL
  ) d
  GROUP BY d.merchant_id, d.day, d.provider, d.method;

  INSERT INTO payment_time_to_pay (merchant_id, day, provider, method, bucket, payments_count)
  SELECT p.merchant_id, (p.created_at AT TIME ZONE 'UTC')::date, p.provider, p.method,
    dashboard_time_to_pay_bucket(extract(epoch FROM p.paid_at - p.created_at)::double precision), count(*)
  FROM payments p
  WHERE p.status IN ('paid', 'partially_refunded', 'refunded') AND p.paid_at IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5;

  INSERT INTO order_daily_counts (merchant_id, day, orders_count)
  SELECT o.merchant_id, (o.created_at AT TIME ZONE 'UTC')::date, count(*)
  FROM orders o
  GROUP BY 1, 2;
END
$$;
--> statement-breakpoint
SELECT rebuild_dashboard_rollups();
