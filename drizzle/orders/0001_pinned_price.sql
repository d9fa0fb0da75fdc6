ALTER TABLE "orders"."orders" ADD COLUMN "price" integer;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "title" text;--> statement-breakpoint
UPDATE "orders"."orders" o SET "price" = t."price", "title" = t."title" FROM "orders"."tickets" t WHERE t."id" = o."ticket_id" AND o."price" IS NULL;