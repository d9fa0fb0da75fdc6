CREATE SCHEMA "tickets";
--> statement-breakpoint
CREATE TABLE "tickets"."auth_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"jwks" jsonb NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "tickets"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "tickets"."tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"price" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"order_id" uuid,
	"version" integer DEFAULT 0 NOT NULL,
	"last_order_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tickets_status_check" CHECK ("tickets"."tickets"."status" in ('available', 'reserved', 'sold')),
	CONSTRAINT "tickets_price_check" CHECK ("tickets"."tickets"."price" between 50 and 9999999),
	CONSTRAINT "tickets_title_check" CHECK (char_length("tickets"."tickets"."title") between 1 and 120),
	CONSTRAINT "tickets_order_check" CHECK (("tickets"."tickets"."status" = 'available') = ("tickets"."tickets"."order_id" is null))
);
--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "tickets"."outbox" USING btree ("id") WHERE "tickets"."outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "tickets_unsold_listing_idx" ON "tickets"."tickets" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."tickets"."status" in ('available', 'reserved');