CREATE TABLE "payments"."events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."payouts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"seller_id" uuid NOT NULL,
	"event_id" uuid,
	"amount" integer NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"claim_id" uuid,
	"charge_id" text NOT NULL,
	"transfer_id" text,
	"reversal_due_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	CONSTRAINT "payouts_status_check" CHECK (status in ('held', 'blocked', 'paid', 'reversed', 'cancelled')),
	CONSTRAINT "payouts_amount_check" CHECK (amount >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."seller_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"stripe_account_id" text NOT NULL,
	"payouts_enabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seller_accounts_stripe_account_id_unique" UNIQUE("stripe_account_id")
);
--> statement-breakpoint
ALTER TABLE "payments"."orders" ADD COLUMN "total" integer;--> statement-breakpoint
ALTER TABLE "payments"."orders" ADD COLUMN "buyer_fee" integer;--> statement-breakpoint
ALTER TABLE "payments"."orders" ADD COLUMN "seller_fee" integer;--> statement-breakpoint
ALTER TABLE "payments"."orders" ADD COLUMN "seller_id" uuid;--> statement-breakpoint
ALTER TABLE "payments"."orders" ADD COLUMN "event_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_order_id_key" ON "payments"."payouts" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payouts_due_idx" ON "payments"."payouts" USING btree ("due_at") WHERE status = 'held' and claim_id is null;--> statement-breakpoint
CREATE INDEX "payouts_reversal_due_idx" ON "payments"."payouts" USING btree ("reversal_due_at") WHERE status = 'paid' and reversal_due_at is not null;--> statement-breakpoint
CREATE INDEX "payouts_seller_idx" ON "payments"."payouts" USING btree ("seller_id","created_at");--> statement-breakpoint
CREATE INDEX "payouts_event_idx" ON "payments"."payouts" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "orders_event_id_idx" ON "payments"."orders" USING btree ("event_id");