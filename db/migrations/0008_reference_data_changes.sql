-- Every API instance caches principals (by token hash), organisations and product versions. A committed
-- change to what those caches hold notifies channel caseflow_reference_data (payload: the table), so each
-- instance drops its caches at once (api/shared-state/reference-data.ts), whoever wrote the change: an
-- API instance, the seed script or an operator in psql. api_tokens notifies only for the columns that
-- decide authentication: the last_used_at stamp written on cache misses must not empty every cache.
CREATE FUNCTION caseflow_notify_reference_data() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('caseflow_reference_data', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER api_tokens_reference_data AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF token_hash, principal_id, revoked_at ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION caseflow_notify_reference_data();
--> statement-breakpoint
CREATE TRIGGER principals_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON principals
  FOR EACH STATEMENT EXECUTE FUNCTION caseflow_notify_reference_data();
--> statement-breakpoint
CREATE TRIGGER partner_links_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_links
  FOR EACH STATEMENT EXECUTE FUNCTION caseflow_notify_reference_data();
--> statement-breakpoint
CREATE TRIGGER organisations_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION caseflow_notify_reference_data();
--> statement-breakpoint
CREATE TRIGGER product_versions_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_versions
  FOR EACH STATEMENT EXECUTE FUNCTION caseflow_notify_reference_data();
