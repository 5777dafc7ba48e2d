ALTER TABLE "provider_accounts" ADD COLUMN "sandbox_public_id" text;--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD COLUMN "sandbox_credentials_encrypted" text;--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD COLUMN "live_public_id" text;--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD COLUMN "live_credentials_encrypted" text;--> statement-breakpoint
-- An account had one credential set: it was the set of its mode at the time, the mode it has now.
UPDATE "provider_accounts" SET
  "sandbox_public_id" = CASE WHEN "mode" = 'sandbox' THEN "public_id" END,
  "sandbox_credentials_encrypted" = CASE WHEN "mode" = 'sandbox' THEN "credentials_encrypted" END,
  "live_public_id" = CASE WHEN "mode" = 'live' THEN "public_id" END,
  "live_credentials_encrypted" = CASE WHEN "mode" = 'live' THEN "credentials_encrypted" END;--> statement-breakpoint
DROP INDEX "provider_accounts_public_id_key";--> statement-breakpoint
ALTER TABLE "provider_accounts" DROP COLUMN "public_id";--> statement-breakpoint
ALTER TABLE "provider_accounts" DROP COLUMN "credentials_encrypted";--> statement-breakpoint
CREATE UNIQUE INDEX "provider_accounts_sandbox_public_id_key" ON "provider_accounts" USING btree ("provider","sandbox_public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_accounts_live_public_id_key" ON "provider_accounts" USING btree ("provider","live_public_id");--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD CONSTRAINT "provider_accounts_sandbox_set_whole" CHECK (("provider_accounts"."sandbox_public_id" is null) = ("provider_accounts"."sandbox_credentials_encrypted" is null));--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD CONSTRAINT "provider_accounts_live_set_whole" CHECK (("provider_accounts"."live_public_id" is null) = ("provider_accounts"."live_credentials_encrypted" is null));--> statement-breakpoint
ALTER TABLE "provider_accounts" ADD CONSTRAINT "provider_accounts_active_set" CHECK (case "provider_accounts"."mode" when 'sandbox' then "provider_accounts"."sandbox_credentials_encrypted" is not null else "provider_accounts"."live_credentials_encrypted" is not null end);