CREATE INDEX "payments_due_late_check_idx" ON "payments" USING btree ("next_check_at") WHERE "payments"."status" in ('failed', 'cancelled', 'expired') and "payments"."next_check_at" is not null;--> statement-breakpoint
-- Undecided payments from before every payment was scheduled at its insert: due now, so that
-- reconciliation asks about them at once (and ledger:check holds from the deploy on).
UPDATE payments SET next_check_at = now() WHERE status IN ('created', 'pending', 'waiting_for_customer') AND next_check_at IS NULL;
--> statement-breakpoint
-- Closed attempts from before late checks existed kept whatever check was scheduled when they
-- closed: they are not due again (a one-off recheck of old attempts is an operator's decision).
UPDATE payments SET next_check_at = NULL WHERE status IN ('failed', 'cancelled', 'expired') AND next_check_at IS NOT NULL;
