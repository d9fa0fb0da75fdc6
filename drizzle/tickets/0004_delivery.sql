CREATE TABLE "tickets"."delivery_deadlines" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_deliveries" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"value" text,
	"content" "bytea",
	"content_type" text,
	"file_name" text,
	"size" integer,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_deliveries_kind_check" CHECK ("tickets"."ticket_deliveries"."kind" in ('code', 'url', 'file')),
	CONSTRAINT "ticket_deliveries_shape_check" CHECK (("tickets"."ticket_deliveries"."kind" = 'file') = ("tickets"."ticket_deliveries"."content" is not null and "tickets"."ticket_deliveries"."value" is null)),
	CONSTRAINT "ticket_deliveries_size_check" CHECK ("tickets"."ticket_deliveries"."size" is null or "tickets"."ticket_deliveries"."size" <= 2097152)
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_orders_status_check" CHECK ("tickets"."ticket_orders"."status" in ('created', 'paid', 'cancelled', 'refunded'))
);
--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "has_delivery" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_deliveries" ADD CONSTRAINT "ticket_deliveries_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_deadlines_due_idx" ON "tickets"."delivery_deadlines" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "delivery_deadlines_ticket_idx" ON "tickets"."delivery_deadlines" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_orders_ticket_idx" ON "tickets"."ticket_orders" USING btree ("ticket_id");