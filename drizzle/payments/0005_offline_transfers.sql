CREATE TABLE "payments"."offline_transfers" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"payout_id" text,
	"amount" integer NOT NULL,
	"destination" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "offline_transfers_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "offline_transfers_payout_idx" ON "payments"."offline_transfers" USING btree ("payout_id");