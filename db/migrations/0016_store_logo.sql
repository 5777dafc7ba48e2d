CREATE TABLE "store_logos" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"content_type" varchar(32) NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "logo_url" text;--> statement-breakpoint
ALTER TABLE "store_logos" ADD CONSTRAINT "store_logos_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "store_logos_sha256_idx" ON "store_logos" USING btree ("sha256");