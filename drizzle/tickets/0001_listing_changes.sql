-- Every committed change to the tickets table tells the replicas' listing caches to drop what
-- they hold: NOTIFY is delivered after commit, to every session LISTENing in this database.
CREATE FUNCTION "tickets"."notify_listing_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tickets_listing_changed', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tickets_listing_changed"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tickets"."tickets"
FOR EACH STATEMENT EXECUTE FUNCTION "tickets"."notify_listing_changed"();
