ALTER TABLE "notification_contacts" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "principals" ADD COLUMN "phone" text;