ALTER TABLE "cases" ADD COLUMN "next_due_clock" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "overdue_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD COLUMN "stopped_level" integer;--> statement-breakpoint
CREATE INDEX "cases_open_urgency_idx" ON "cases" USING btree ("overdue_since","next_due_at","id") WHERE "cases"."status" <> 'closed';--> statement-breakpoint
-- Backfill, so cases recorded before these columns sort and report like new ones.
-- Open cases: the earliest breached due instant of a clock still not met, and the clock next_due_at belongs to,
-- from the stored snapshot (the same rule activities/case-urgency.ts applies to every new write).
UPDATE "cases" SET
  "overdue_since" = (
    SELECT min((c.value->>'breachedAt')::timestamptz) FROM jsonb_each("cases"."snapshot"->'clocks') AS c
    WHERE c.value->>'state' = 'breached' AND c.value->>'stoppedAt' IS NULL AND c.value->>'breachedAt' IS NOT NULL
  ),
  "next_due_clock" = (
    SELECT c.key FROM jsonb_each("cases"."snapshot"->'clocks') AS c
    WHERE c.value->>'state' = 'running' AND c.value->>'dueAt' IS NOT NULL
      AND (c.value->>'dueAt')::timestamptz = "cases"."next_due_at"
    ORDER BY c.key LIMIT 1
  )
WHERE "status" <> 'closed' AND jsonb_typeof("snapshot"->'clocks') = 'object';--> statement-breakpoint
-- Stopped first-response clocks: the level the case had when the clock stopped, from the audit trail (the
-- sla_clocks row itself was overwritten with the case's latest level): the last severity change recorded before
-- the event that stopped the clock (the first response, or the closing), else the first later change's `from`,
-- else the level the case has (it never changed).
UPDATE "sla_clocks" AS sc SET "stopped_level" = coalesce(
  (
    SELECT (e."data"->>'to')::int FROM "case_events" AS e
    WHERE e."case_id" = sc."case_id" AND e."type" = 'severity_changed' AND e."id" < coalesce(
      (SELECT min(s."id") FROM "case_events" AS s WHERE s."case_id" = sc."case_id" AND s."type" IN ('first_response', 'closed')),
      9223372036854775807
    ) AND e."occurred_at" <= sc."stopped_at"
    ORDER BY e."id" DESC LIMIT 1
  ),
  (
    SELECT (e."data"->>'from')::int FROM "case_events" AS e
    WHERE e."case_id" = sc."case_id" AND e."type" = 'severity_changed'
    ORDER BY e."id" LIMIT 1
  ),
  sc."level"
)
WHERE sc."clock" = 'firstResponse' AND sc."stopped_at" IS NOT NULL;--> statement-breakpoint
-- A first-response clock stopped by the closing (nobody answered) measured no response time.
UPDATE "sla_clocks" AS sc SET "elapsed_ms" = NULL
FROM "cases" AS c
WHERE c."id" = sc."case_id" AND sc."clock" = 'firstResponse' AND c."first_response_at" IS NULL AND sc."elapsed_ms" IS NOT NULL;
