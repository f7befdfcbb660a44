CREATE TABLE "quarantined_writes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"batch_hash" text NOT NULL,
	"snapshot_version" integer NOT NULL,
	"action" text NOT NULL,
	"sql_state" text,
	"reason" text NOT NULL,
	"batch" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "quarantined_writes_batch_idx" ON "quarantined_writes" USING btree ("case_id","batch_hash");--> statement-breakpoint
CREATE INDEX "quarantined_writes_created_idx" ON "quarantined_writes" USING btree ("created_at");