ALTER TABLE "orders"."orders" ADD COLUMN "buyer_fee" integer;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "seller_fee" integer;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "total" integer;