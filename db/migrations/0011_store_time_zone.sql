ALTER TABLE "merchants" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
-- Stores made before the column get their country's zone (lib/stores/countries.ts).
UPDATE "merchants" SET "time_zone" = CASE "country" WHEN 'CI' THEN 'Africa/Abidjan' WHEN 'SN' THEN 'Africa/Dakar' WHEN 'BF' THEN 'Africa/Ouagadougou' WHEN 'ML' THEN 'Africa/Bamako' WHEN 'BJ' THEN 'Africa/Porto-Novo' WHEN 'TG' THEN 'Africa/Lome' WHEN 'KE' THEN 'Africa/Nairobi' ELSE 'UTC' END;
