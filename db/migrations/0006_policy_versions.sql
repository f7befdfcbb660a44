CREATE TABLE "case_inputs" (
	"case_id" text PRIMARY KEY NOT NULL,
	"policy_version" text NOT NULL,
	"input" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_backtests" (
	"id" text PRIMARY KEY NOT NULL,
	"requested_by" text NOT NULL,
	"request" jsonb NOT NULL,
	"status" text NOT NULL,
	"total" integer,
	"processed" integer DEFAULT 0 NOT NULL,
	"without_input" integer DEFAULT 0 NOT NULL,
	"cursor" jsonb,
	"partial" jsonb,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"document" jsonb NOT NULL,
	"note" text NOT NULL,
	"published_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "policy_backtests_created_idx" ON "policy_backtests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "policy_versions_effective_idx" ON "policy_versions" USING btree ("effective_at");