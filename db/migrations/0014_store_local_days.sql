-- Store-local days (issue 16): the rollups key every figure by the day on the store's wall clock
-- (merchants.time_zone), not the UTC day: a Nairobi payment at 01:30 local (22:30 UTC the day
-- before) counts on its local day, as the dashboard shows it (lib/time/store-clock.ts). The
-- functions of 0006 are replaced, the orders' update trigger compares instants (its WHEN cannot
-- read the store's zone), and every stored rollup row is recomputed at the end, so rows written
-- under UTC days are re-bucketed.
-- The store's zone, read by the triggers on every write: a primary-key probe. 'UTC' for a row
-- that is not there (a cascade from a deleted store: its rollup rows go with it anyway).
CREATE FUNCTION dashboard_store_zone(merchant text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce((SELECT time_zone FROM merchants WHERE id = merchant), 'UTC')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dashboard_rollup_payment(o payments, n payments) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  -- NULL for a missing row; a paid day is NULL unless the row counts as paid (collected, with a paid_at).
  n_zone text := dashboard_store_zone(n.merchant_id);
  o_zone text := CASE WHEN o.merchant_id = n.merchant_id THEN n_zone ELSE dashboard_store_zone(o.merchant_id) END;
  n_day date := (n.created_at AT TIME ZONE n_zone)::date;
  o_day date := (o.created_at AT TIME ZONE o_zone)::date;
  n_collected boolean := coalesce(n.status IN ('paid', 'partially_refunded', 'refunded'), false);
  o_collected boolean := coalesce(o.status IN ('paid', 'partially_refunded', 'refunded'), false);
  n_paid_day date := CASE WHEN n_collected THEN (n.paid_at AT TIME ZONE n_zone)::date END;
  o_paid_day date := CASE WHEN o_collected THEN (o.paid_at AT TIME ZONE o_zone)::date END;
  n_bucket smallint; o_bucket smallint;
  x_attempts integer; x_collected integer; x_failed integer; x_amount bigint; x_fee bigint; x_net bigint; x_paid integer; x_paid_amount bigint;
  y_own boolean := false; y_collected integer; y_failed integer; y_amount bigint; y_fee bigint; y_net bigint; y_paid integer; y_paid_amount bigint;
  z_own boolean := false; z_paid integer; z_paid_amount bigint;
  w_own boolean := false;
  written boolean := false;
BEGIN
  IF o.merchant_id = n.merchant_id AND o.provider = n.provider AND o.method = n.method AND o_day = n_day
     AND coalesce(n_paid_day = n_day, true) AND coalesce(o_paid_day = n_day, true) THEN
    -- The common case, every status transition of a payment decided on the day it was created:
    -- everything lands on X.
    x_attempts := 0;
    x_collected := n_collected::integer - o_collected::integer;
    x_failed := (n.status IN ('failed', 'cancelled', 'expired'))::integer - (o.status IN ('failed', 'cancelled', 'expired'))::integer;
    x_amount := CASE WHEN n_collected THEN n.amount_minor ELSE 0 END - CASE WHEN o_collected THEN o.amount_minor ELSE 0 END;
    x_fee := CASE WHEN n_collected THEN coalesce(n.fee_reported_minor, n.fee_estimated_minor, 0) ELSE 0 END
      - CASE WHEN o_collected THEN coalesce(o.fee_reported_minor, o.fee_estimated_minor, 0) ELSE 0 END;
    x_net := CASE WHEN n_collected THEN coalesce(n.net_minor, 0) ELSE 0 END - CASE WHEN o_collected THEN coalesce(o.net_minor, 0) ELSE 0 END;
    x_paid := (n_paid_day IS NOT NULL)::integer - (o_paid_day IS NOT NULL)::integer;
    x_paid_amount := CASE WHEN n_paid_day IS NOT NULL THEN n.amount_minor ELSE 0 END - CASE WHEN o_paid_day IS NOT NULL THEN o.amount_minor ELSE 0 END;
  ELSE
    -- X: n's created-day figures.
    IF n.id IS NOT NULL THEN
      x_attempts := 1;
      x_collected := n_collected::integer;
      x_failed := (n.status IN ('failed', 'cancelled', 'expired'))::integer;
      x_amount := CASE WHEN n_collected THEN n.amount_minor ELSE 0 END;
      x_fee := CASE WHEN n_collected THEN coalesce(n.fee_reported_minor, n.fee_estimated_minor, 0) ELSE 0 END;
      x_net := CASE WHEN n_collected THEN coalesce(n.net_minor, 0) ELSE 0 END;
      x_paid := 0;
      x_paid_amount := 0;
    END IF;
    -- Y: o's created-day figures, subtracted, merged into X when it is the same row.
    IF o.id IS NOT NULL THEN
      y_collected := -o_collected::integer;
      y_failed := -(o.status IN ('failed', 'cancelled', 'expired'))::integer;
      y_amount := CASE WHEN o_collected THEN -o.amount_minor ELSE 0 END;
      y_fee := CASE WHEN o_collected THEN -coalesce(o.fee_reported_minor, o.fee_estimated_minor, 0) ELSE 0 END;
      y_net := CASE WHEN o_collected THEN -coalesce(o.net_minor, 0) ELSE 0 END;
      y_paid := 0;
      y_paid_amount := 0;
      IF o.merchant_id = n.merchant_id AND o.provider = n.provider AND o.method = n.method AND o_day = n_day THEN
        x_attempts := 0;
        x_collected := x_collected + y_collected;
        x_failed := x_failed + y_failed;
        x_amount := x_amount + y_amount;
        x_fee := x_fee + y_fee;
        x_net := x_net + y_net;
      ELSE
        y_own := true;
      END IF;
    END IF;
    -- Z: n's paid-day figures, onto X or Y when it is the same row.
    IF n_paid_day IS NOT NULL THEN
      IF n_paid_day = n_day THEN
        x_paid := 1;
        x_paid_amount := n.amount_minor;
      ELSIF y_own AND n_paid_day = o_day AND n.merchant_id = o.merchant_id AND n.provider = o.provider AND n.method = o.method THEN
        y_paid := 1;
        y_paid_amount := n.amount_minor;
      ELSE
        z_own := true;
        z_paid := 1;
        z_paid_amount := n.amount_minor;
      END IF;
    END IF;
    -- W: o's paid-day figures, subtracted, onto X, Y or Z when it is the same row.
    IF o_paid_day IS NOT NULL THEN
      IF o_paid_day = n_day AND o.merchant_id = n.merchant_id AND o.provider = n.provider AND o.method = n.method THEN
        x_paid := x_paid - 1;
        x_paid_amount := x_paid_amount - o.amount_minor;
      ELSIF y_own AND o_paid_day = o_day THEN
        y_paid := y_paid - 1;
        y_paid_amount := y_paid_amount - o.amount_minor;
      ELSIF z_own AND o_paid_day = n_paid_day AND o.merchant_id = n.merchant_id AND o.provider = n.provider AND o.method = n.method THEN
        z_paid := z_paid - 1;
        z_paid_amount := z_paid_amount - o.amount_minor;
      ELSE
        w_own := true;
      END IF;
    END IF;
  END IF;

  IF NOT (y_own OR z_own OR w_own) THEN
    -- At most X (NULL figures: no n, nothing to write).
    IF x_attempts <> 0 OR x_collected <> 0 OR x_failed <> 0 OR x_amount <> 0 OR x_fee <> 0 OR x_net <> 0 OR x_paid <> 0 OR x_paid_amount <> 0 THEN
      INSERT INTO payment_daily_stats AS s (merchant_id, day, provider, method, attempts, collected_count, failed_count,
        collected_amount_minor, collected_fee_minor, collected_net_minor, paid_count, paid_amount_minor)
      VALUES (n.merchant_id, n_day, n.provider, n.method, x_attempts, x_collected, x_failed, x_amount, x_fee, x_net, x_paid, x_paid_amount)
      ON CONFLICT (merchant_id, day, provider, method) DO UPDATE SET
        attempts = s.attempts + excluded.attempts,
        collected_count = s.collected_count + excluded.collected_count,
        failed_count = s.failed_count + excluded.failed_count,
        collected_amount_minor = s.collected_amount_minor + excluded.collected_amount_minor,
        collected_fee_minor = s.collected_fee_minor + excluded.collected_fee_minor,
        collected_net_minor = s.collected_net_minor + excluded.collected_net_minor,
        paid_count = s.paid_count + excluded.paid_count,
        paid_amount_minor = s.paid_amount_minor + excluded.paid_amount_minor;
      written := true;
    END IF;
  ELSE
    -- Several rows (a payment paid on another day than it was created, a deletion, moved keys):
    -- one statement, the rows with a non-zero change only, in key order.
    INSERT INTO payment_daily_stats AS s (merchant_id, day, provider, method, attempts, collected_count, failed_count,
      collected_amount_minor, collected_fee_minor, collected_net_minor, paid_count, paid_amount_minor)
    SELECT v.merchant_id, v.day, v.provider, v.method, v.attempts, v.collected, v.failed, v.amount, v.fee, v.net, v.paid, v.paid_amount
    FROM (VALUES
      (n.merchant_id, n_day, n.provider, n.method, x_attempts, x_collected, x_failed, x_amount, x_fee, x_net, x_paid, x_paid_amount),
      (CASE WHEN y_own THEN o.merchant_id END, o_day, o.provider, o.method, -1, y_collected, y_failed, y_amount, y_fee, y_net, y_paid, y_paid_amount),
      (CASE WHEN z_own THEN n.merchant_id END, n_paid_day, n.provider, n.method, 0, 0, 0, 0, 0, 0, z_paid, z_paid_amount),
      (CASE WHEN w_own THEN o.merchant_id END, o_paid_day, o.provider, o.method, 0, 0, 0, 0, 0, 0, -1, -o.amount_minor)
    ) v (merchant_id, day, provider, method, attempts, collected, failed, amount, fee, net, paid, paid_amount)
    WHERE v.merchant_id IS NOT NULL
      AND (v.attempts <> 0 OR v.collected <> 0 OR v.failed <> 0 OR v.amount <> 0 OR v.fee <> 0 OR v.net <> 0 OR v.paid <> 0 OR v.paid_amount <> 0)
    ORDER BY v.merchant_id, v.day, v.provider, v.method
    ON CONFLICT (merchant_id, day, provider, method) DO UPDATE SET
      attempts = s.attempts + excluded.attempts,
      collected_count = s.collected_count + excluded.collected_count,
      failed_count = s.failed_count + excluded.failed_count,
      collected_amount_minor = s.collected_amount_minor + excluded.collected_amount_minor,
      collected_fee_minor = s.collected_fee_minor + excluded.collected_fee_minor,
      collected_net_minor = s.collected_net_minor + excluded.collected_net_minor,
      paid_count = s.paid_count + excluded.paid_count,
      paid_amount_minor = s.paid_amount_minor + excluded.paid_amount_minor;
    written := true;
  END IF;

  -- The histogram, by created day and bucket: −1 on o's row, +1 on n's, nothing when it is the same row.
  IF n_paid_day IS NOT NULL THEN
    n_bucket := dashboard_time_to_pay_bucket(extract(epoch FROM n.paid_at - n.created_at)::double precision);
    IF o_paid_day IS NULL THEN
      INSERT INTO payment_time_to_pay AS h (merchant_id, day, provider, method, bucket, payments_count)
      VALUES (n.merchant_id, n_day, n.provider, n.method, n_bucket, 1)
      ON CONFLICT (merchant_id, day, provider, method, bucket) DO UPDATE SET payments_count = h.payments_count + 1;
      written := true;
    ELSE
      o_bucket := dashboard_time_to_pay_bucket(extract(epoch FROM o.paid_at - o.created_at)::double precision);
      IF (o.merchant_id, o_day, o.provider, o.method, o_bucket) IS DISTINCT FROM (n.merchant_id, n_day, n.provider, n.method, n_bucket) THEN
        INSERT INTO payment_time_to_pay AS h (merchant_id, day, provider, method, bucket, payments_count)
        SELECT v.merchant_id, v.day, v.provider, v.method, v.bucket, v.delta
        FROM (VALUES (o.merchant_id, o_day, o.provider, o.method, o_bucket, -1), (n.merchant_id, n_day, n.provider, n.method, n_bucket, 1))
          v (merchant_id, day, provider, method, bucket, delta)
        ORDER BY v.merchant_id, v.day, v.provider, v.method, v.bucket
        ON CONFLICT (merchant_id, day, provider, method, bucket) DO UPDATE SET payments_count = h.payments_count + excluded.payments_count;
        written := true;
      END IF;
    END IF;
  ELSIF o_paid_day IS NOT NULL THEN
    o_bucket := dashboard_time_to_pay_bucket(extract(epoch FROM o.paid_at - o.created_at)::double precision);
    INSERT INTO payment_time_to_pay AS h (merchant_id, day, provider, method, bucket, payments_count)
    VALUES (o.merchant_id, o_day, o.provider, o.method, o_bucket, -1)
    ON CONFLICT (merchant_id, day, provider, method, bucket) DO UPDATE SET payments_count = h.payments_count - 1;
    written := true;
  END IF;
  RETURN written;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION orders_dashboard_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o_day date;
  n_day date;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    o_day := (OLD.created_at AT TIME ZONE dashboard_store_zone(OLD.merchant_id))::date;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    n_day := (NEW.created_at AT TIME ZONE dashboard_store_zone(NEW.merchant_id))::date;
  END IF;
  -- A creation time moved within the same local day changes no count.
  IF TG_OP = 'UPDATE' AND OLD.merchant_id = NEW.merchant_id AND o_day = n_day THEN
    RETURN NULL;
  END IF;
  IF o_day IS NOT NULL THEN
    INSERT INTO order_daily_counts AS s (merchant_id, day, orders_count)
    VALUES (OLD.merchant_id, o_day, -1)
    ON CONFLICT (merchant_id, day) DO UPDATE SET orders_count = s.orders_count - 1;
  END IF;
  IF n_day IS NOT NULL THEN
    INSERT INTO order_daily_counts AS s (merchant_id, day, orders_count)
    VALUES (NEW.merchant_id, n_day, 1)
    ON CONFLICT (merchant_id, day) DO UPDATE SET orders_count = s.orders_count + 1;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER orders_dashboard_rollup_update ON orders;
--> statement-breakpoint
CREATE TRIGGER orders_dashboard_rollup_update AFTER UPDATE ON orders
  FOR EACH ROW WHEN (
    old.merchant_id IS DISTINCT FROM new.merchant_id
    OR old.created_at IS DISTINCT FROM new.created_at
  ) EXECUTE FUNCTION orders_dashboard_rollup();
--> statement-breakpoint
DROP FUNCTION rebuild_dashboard_rollups();
--> statement-breakpoint
-- Recomputes the rollups from the raw rows: every store's (NULL), or one store's (its zone
-- changed). Writers wait meanwhile (SHARE locks), so the result is exact at commit. Used by the
-- migrations' backfills, the zone trigger below and bulk loads that insert with the triggers
-- disabled (bench/lib/seed-scale.ts).
CREATE FUNCTION rebuild_dashboard_rollups(only_merchant text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE payments, orders IN SHARE MODE;
  DELETE FROM payment_daily_stats WHERE only_merchant IS NULL OR merchant_id = only_merchant;
  DELETE FROM payment_time_to_pay WHERE only_merchant IS NULL OR merchant_id = only_merchant;
  DELETE FROM order_daily_counts WHERE only_merchant IS NULL OR merchant_id = only_merchant;

  INSERT INTO payment_daily_stats (merchant_id, day, provider, method, attempts, collected_count, failed_count,
    collected_amount_minor, collected_fee_minor, collected_net_minor, paid_count, paid_amount_minor)
  SELECT d.merchant_id, d.day, d.provider, d.method, sum(d.attempts), sum(d.collected), sum(d.failed),
    sum(d.amount), sum(d.fee), sum(d.net), sum(d.paid_count), sum(d.paid_amount)
  FROM (
    SELECT p.merchant_id, (p.created_at AT TIME ZONE m.time_zone)::date AS day, p.provider, p.method, 1 AS attempts,
      (p.status IN ('paid', 'partially_refunded', 'refunded'))::int AS collected,
      (p.status IN ('failed', 'cancelled', 'expired'))::int AS failed,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN p.amount_minor ELSE 0 END AS amount,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN coalesce(p.fee_reported_minor, p.fee_estimated_minor, 0) ELSE 0 END AS fee,
      CASE WHEN p.status IN ('paid', 'partially_refunded', 'refunded') THEN coalesce(p.net_minor, 0) ELSE 0 END AS net,
      0 AS paid_count, 0::bigint AS paid_amount
    FROM payments p JOIN merchants m ON m.id = p.merchant_id
    WHERE only_merchant IS NULL OR p.merchant_id = only_merchant
    UNION ALL
    SELECT p.merchant_id, (p.paid_at AT TIME ZONE m.time_zone)::date, p.provider, p.method, 0, 0, 0, 0, 0, 0, 1, p.amount_minor
    FROM payments p JOIN merchants m ON m.id = p.merchant_id
    WHERE p.status IN ('paid', 'partially_refunded', 'refunded') AND p.paid_at IS NOT NULL
      AND (only_merchant IS NULL OR p.merchant_id = only_merchant)
  ) d
  GROUP BY d.merchant_id, d.day, d.provider, d.method;

  INSERT INTO payment_time_to_pay (merchant_id, day, provider, method, bucket, payments_count)
  SELECT p.merchant_id, (p.created_at AT TIME ZONE m.time_zone)::date, p.provider, p.method,
    dashboard_time_to_pay_bucket(extract(epoch FROM p.paid_at - p.created_at)::double precision), count(*)
  FROM payments p JOIN merchants m ON m.id = p.merchant_id
  WHERE p.status IN ('paid', 'partially_refunded', 'refunded') AND p.paid_at IS NOT NULL
    AND (only_merchant IS NULL OR p.merchant_id = only_merchant)
  GROUP BY 1, 2, 3, 4, 5;

  INSERT INTO order_daily_counts (merchant_id, day, orders_count)
  SELECT o.merchant_id, (o.created_at AT TIME ZONE m.time_zone)::date, count(*)
  FROM orders o JOIN merchants m ON m.id = o.merchant_id
  WHERE only_merchant IS NULL OR o.merchant_id = only_merchant
  GROUP BY 1, 2;
END
$$;
--> statement-breakpoint
-- A store whose zone changes has every day of its history re-bucketed, in the same transaction.
CREATE FUNCTION merchants_dashboard_zone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rebuild_dashboard_rollups(NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER merchants_dashboard_zone AFTER UPDATE OF time_zone ON merchants
  FOR EACH ROW WHEN (old.time_zone IS DISTINCT FROM new.time_zone) EXECUTE FUNCTION merchants_dashboard_zone();
--> statement-breakpoint
SELECT rebuild_dashboard_rollups();
