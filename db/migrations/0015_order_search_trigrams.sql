-- Orders search by any part of a reference or a name (lib/dashboard/search.ts). pg_trgm is a
-- trusted extension (PostgreSQL 13+): the database owner may create it without superuser; the
-- embedded database loads it in db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "orders_merchant_reference_prefix_idx";--> statement-breakpoint
CREATE INDEX "orders_reference_trgm_idx" ON "orders" USING gin ("reference" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_customer_name_trgm_idx" ON "orders" USING gin ("customer_name" gin_trgm_ops);