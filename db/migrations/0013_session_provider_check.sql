ALTER TABLE "sessions" ADD COLUMN "refresh_token" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "provider_checked_at" timestamp with time zone DEFAULT now() NOT NULL;