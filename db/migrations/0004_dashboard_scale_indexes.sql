DROP INDEX "orders_merchant_phone_idx";--> statement-breakpoint
DROP INDEX "orders_merchant_email_idx";--> statement-breakpoint
DROP INDEX "payments_merchant_created_idx";--> statement-breakpoint
DROP INDEX "payments_merchant_settlement_idx";--> statement-breakpoint
DROP INDEX "orders_merchant_created_idx";--> statement-breakpoint
DROP INDEX "orders_merchant_status_created_idx";--> statement-breakpoint
DROP INDEX "notifications_merchant_received_idx";--> statement-breakpoint
DROP INDEX "payments_merchant_status_created_idx";--> statement-breakpoint
DROP INDEX "payments_merchant_provider_created_idx";--> statement-breakpoint
DROP INDEX "refunds_merchant_created_idx";--> statement-breakpoint
CREATE INDEX "orders_merchant_amount_idx" ON "orders" USING btree ("merchant_id","amount_minor","id");--> statement-breakpoint
CREATE INDEX "orders_merchant_reference_prefix_idx" ON "orders" USING btree ("merchant_id","reference" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_merchant_phone_suffix_idx" ON "orders" USING btree ("merchant_id",reverse("customer_phone") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_merchant_email_prefix_idx" ON "orders" USING btree ("merchant_id",lower("customer_email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "payments_merchant_created_figures_idx" ON "payments" USING btree ("merchant_id","created_at","status","provider","method","amount_minor","fee_reported_minor","fee_estimated_minor","net_minor","paid_at");--> statement-breakpoint
CREATE INDEX "payments_merchant_settlement_collected_idx" ON "payments" USING btree ("merchant_id","settlement_date","provider","currency","settlement_reported","net_minor") WHERE "payments"."status" in ('paid', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE INDEX "payments_merchant_paid_idx" ON "payments" USING btree ("merchant_id","paid_at","amount_minor") WHERE "payments"."status" in ('paid', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE INDEX "payments_merchant_method_idx" ON "payments" USING btree ("merchant_id","method");--> statement-breakpoint
CREATE INDEX "payments_merchant_undecided_idx" ON "payments" USING btree ("merchant_id","created_at","id") WHERE "payments"."status" in ('created', 'pending', 'waiting_for_customer');--> statement-breakpoint
CREATE INDEX "orders_merchant_created_idx" ON "orders" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_merchant_status_created_idx" ON "orders" USING btree ("merchant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "notifications_merchant_received_idx" ON "notifications" USING btree ("merchant_id","received_at","id");--> statement-breakpoint
CREATE INDEX "payments_merchant_status_created_idx" ON "payments" USING btree ("merchant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_merchant_provider_created_idx" ON "payments" USING btree ("merchant_id","provider","created_at","id");--> statement-breakpoint
CREATE INDEX "refunds_merchant_created_idx" ON "refunds" USING btree ("merchant_id","created_at","id");