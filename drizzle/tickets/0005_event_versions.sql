ALTER TABLE "tickets"."events" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- A cancelled event's listings must leave the cached listing pages at once, as a ticket's do.
CREATE TRIGGER "events_listing_changed"
AFTER UPDATE ON "tickets"."events"
FOR EACH STATEMENT EXECUTE FUNCTION "tickets"."notify_listing_changed"();
