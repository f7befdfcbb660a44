CREATE TABLE "phone_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"principal_id" text NOT NULL,
	"queue" text NOT NULL,
	"language" text NOT NULL,
	"preferred_engineer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "phone_sessions_case_idx" ON "phone_sessions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "sla_clocks_report_idx" ON "sla_clocks" USING btree ("clock","started_at");