ALTER TABLE "inbound_messages" ADD COLUMN "classification" text;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "detail" jsonb;--> statement-breakpoint
ALTER TABLE "notification_contacts" ADD COLUMN "bounced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_contacts" ADD COLUMN "bounce_status" text;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "bounce_status" text;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "bounce_diagnostic" text;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "bounced_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_ignored_idx" ON "inbound_messages" USING btree ("message_key","case_id") WHERE status = 'ignored';