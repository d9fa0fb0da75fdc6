CREATE TABLE "tickets"."events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"venue" text NOT NULL,
	"city" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"name_key" text NOT NULL,
	"venue_key" text NOT NULL,
	"city_key" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "events_status_check" CHECK ("tickets"."events"."status" in ('scheduled', 'postponed', 'cancelled', 'finished')),
	CONSTRAINT "events_ends_check" CHECK ("tickets"."events"."ends_at" is null or "tickets"."events"."ends_at" > "tickets"."events"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "face_value" integer;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "section" text;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "row" text;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "seat" text;--> statement-breakpoint
CREATE UNIQUE INDEX "events_identity_idx" ON "tickets"."events" USING btree ("name_key","venue_key","starts_at");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "tickets"."events" USING btree ("starts_at","id");--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "tickets"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_event_listing_idx" ON "tickets"."tickets" USING btree ("event_id","price","id") WHERE "tickets"."tickets"."status" in ('available', 'reserved');--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_face_value_check" CHECK ("tickets"."tickets"."face_value" is null or "tickets"."tickets"."face_value" between 1 and 9999999);--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_event_face_value_check" CHECK ("tickets"."tickets"."event_id" is null or "tickets"."tickets"."face_value" is not null);