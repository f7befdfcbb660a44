CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_key" text NOT NULL,
	"case_id" text,
	"via" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"sender" text,
	"envelope_sender" text,
	"recipient" text,
	"subject" text,
	"principal_id" text,
	"request_id" text,
	"attachments" jsonb,
	"size_bytes" integer NOT NULL,
	"answer" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbound_messages_key_idx" ON "inbound_messages" USING btree ("message_key");--> statement-breakpoint
CREATE INDEX "inbound_messages_case_idx" ON "inbound_messages" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_accepted_idx" ON "inbound_messages" USING btree ("message_key","case_id") WHERE status = 'accepted';