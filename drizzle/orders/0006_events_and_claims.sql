CREATE TABLE "orders"."claims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"details" text,
	"status" text NOT NULL,
	"outcome" text,
	"note" text,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "claims_status_check" CHECK ("orders"."claims"."status" in ('open', 'resolved')),
	CONSTRAINT "claims_resolved_check" CHECK (("orders"."claims"."status" = 'resolved') = ("orders"."claims"."outcome" is not null)),
	CONSTRAINT "claims_details_check" CHECK (char_length("orders"."claims"."details") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "orders"."events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"version" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders"."tickets" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "orders"."tickets" ADD COLUMN "event_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders"."claims" ADD CONSTRAINT "claims_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "claims_one_open_per_order" ON "orders"."claims" USING btree ("order_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "claims_status_opened_idx" ON "orders"."claims" USING btree ("status","opened_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "claims_order_idx" ON "orders"."claims" USING btree ("order_id","opened_at");--> statement-breakpoint
CREATE INDEX "tickets_event_idx" ON "orders"."tickets" USING btree ("event_id");