CREATE TABLE "order_daily_counts" (
	"merchant_id" text NOT NULL,
	"day" date NOT NULL,
	"orders_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "order_daily_counts_pkey" PRIMARY KEY("merchant_id","day")
);
--> statement-breakpoint
CREATE TABLE "payment_daily_stats" (
	"merchant_id" text NOT NULL,
	"day" date NOT NULL,
	"provider" "provider_id" NOT NULL,
	"method" varchar(32) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"collected_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"collected_amount_minor" bigint DEFAULT 0 NOT NULL,
	"collected_fee_minor" bigint DEFAULT 0 NOT NULL,
	"collected_net_minor" bigint DEFAULT 0 NOT NULL,
	"paid_count" integer DEFAULT 0 NOT NULL,
	"paid_amount_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "payment_daily_stats_pkey" PRIMARY KEY("merchant_id","day","provider","method")
);
--> statement-breakpoint
CREATE TABLE "payment_time_to_pay" (
	"merchant_id" text NOT NULL,
	"day" date NOT NULL,
	"provider" "provider_id" NOT NULL,
	"method" varchar(32) NOT NULL,
	"bucket" smallint NOT NULL,
	"payments_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "payment_time_to_pay_pkey" PRIMARY KEY("merchant_id","day","provider","method","bucket")
);
--> statement-breakpoint
DROP INDEX "payments_merchant_created_figures_idx";--> statement-breakpoint
DROP INDEX "payments_merchant_paid_idx";--> statement-breakpoint
ALTER TABLE "order_daily_counts" ADD CONSTRAINT "order_daily_counts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_daily_stats" ADD CONSTRAINT "payment_daily_stats_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_time_to_pay" ADD CONSTRAINT "payment_time_to_pay_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;