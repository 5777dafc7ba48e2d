CREATE TABLE "provider_rate_budgets" (
	"account_id" text NOT NULL,
	"mode" "provider_mode" NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"paused_until" timestamp with time zone,
	CONSTRAINT "provider_rate_budgets_account_id_mode_pk" PRIMARY KEY("account_id","mode")
);
--> statement-breakpoint
DROP INDEX "payments_one_collected_per_order";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "provider_reference" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "request_encrypted" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "mode" "provider_mode" DEFAULT 'sandbox' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "provider_reference_rule" varchar(32);--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "flag_resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "flag_resolution" varchar(32);--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "flag_resolved_by" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "flag_note" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "attempt_outcome" varchar(32);--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "next_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "check_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_rate_budgets" ADD CONSTRAINT "provider_rate_budgets_account_id_provider_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."provider_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_flag_resolved_by_users_id_fk" FOREIGN KEY ("flag_resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_due_retry_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."processed_at" is null and "notifications"."verdict" in ('authenticated', 'unverifiable');--> statement-breakpoint
-- Before the index: a provider transaction that already collected several payments (the defect
-- this index closes) keeps the earliest; each later one keeps its status, is flagged
-- shared_transaction for a person to resolve, and its provider reference moves to the ledger.
WITH ranked AS (
  SELECT id, merchant_id, provider_reference,
         row_number() OVER (PARTITION BY provider, provider_reference ORDER BY paid_at NULLS LAST, created_at, id) AS n
  FROM payments
  WHERE status IN ('paid', 'partially_refunded', 'refunded') AND provider_reference IS NOT NULL
), moved AS (
  UPDATE payments p SET flag = 'shared_transaction', provider_reference = NULL, updated_at = now()
  FROM ranked r WHERE r.id = p.id AND r.n > 1
  RETURNING p.id, p.merchant_id, r.provider_reference
)
INSERT INTO payment_events (payment_id, merchant_id, type, actor, data)
SELECT id, merchant_id, 'flag', 'migration', jsonb_build_object('flag', 'shared_transaction', 'providerReference', provider_reference) FROM moved;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_collection_per_transaction" ON "payments" USING btree ("provider","provider_reference") WHERE "payments"."status" in ('paid', 'partially_refunded', 'refunded') and "payments"."provider_reference" is not null;--> statement-breakpoint
CREATE INDEX "payments_merchant_open_exceptions_idx" ON "payments" USING btree ("merchant_id","updated_at","id") WHERE "payments"."flag" is not null and "payments"."flag_resolved_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_payment_idempotency_key" ON "refunds" USING btree ("payment_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "refunds_due_check_idx" ON "refunds" USING btree ("next_check_at") WHERE "refunds"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_collected_per_order" ON "payments" USING btree ("order_id") WHERE "payments"."status" in ('paid', 'partially_refunded', 'refunded') and "payments"."flag" is distinct from 'double_payment';--> statement-breakpoint
-- Payments made before modes were recorded were made in their account's mode of the time, which
-- is its mode now unless it was switched since (nothing recorded the switch).
UPDATE payments p SET mode = a.mode FROM provider_accounts a WHERE a.id = p.provider_account_id AND p.mode <> a.mode;--> statement-breakpoint
-- Refunds never exceed what was collected: every refund that is not failed counts, and the
-- payment row is locked first so two concurrent refunds are summed one after the other.
CREATE FUNCTION refunds_within_collected() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  collected bigint;
  taken bigint;
BEGIN
  IF NEW.status = 'failed' THEN
    RETURN NEW;
  END IF;
  SELECT coalesce(paid_amount_minor, amount_minor) INTO collected FROM payments WHERE id = NEW.payment_id FOR UPDATE;
  SELECT coalesce(sum(amount_minor), 0) INTO taken FROM refunds
   WHERE payment_id = NEW.payment_id AND status <> 'failed' AND id <> NEW.id;
  IF taken + NEW.amount_minor > collected THEN
    RAISE EXCEPTION 'refunds of payment % would exceed the collected amount (% + % > %)', NEW.payment_id, taken, NEW.amount_minor, collected
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_within_collected';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER refunds_within_collected BEFORE INSERT OR UPDATE OF amount_minor, status, payment_id ON refunds
FOR EACH ROW EXECUTE FUNCTION refunds_within_collected();
