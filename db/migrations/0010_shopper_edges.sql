ALTER TABLE "payment_links" ADD COLUMN "min_amount_minor" bigint;--> statement-breakpoint
ALTER TABLE "payment_links" ADD COLUMN "max_amount_minor" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "customer_billing" jsonb;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_bounds_positive" CHECK (coalesce("payment_links"."min_amount_minor", 1) > 0 and coalesce("payment_links"."max_amount_minor", 1) > 0);--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_bounds_ordered" CHECK ("payment_links"."min_amount_minor" is null or "payment_links"."max_amount_minor" is null or "payment_links"."min_amount_minor" <= "payment_links"."max_amount_minor");