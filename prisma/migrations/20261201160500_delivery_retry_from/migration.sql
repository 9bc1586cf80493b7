-- A delivery's retry window starts here: at creation, and again at each redeliver.
ALTER TABLE "notification_deliveries" ADD COLUMN "retry_from" TIMESTAMPTZ(3);
UPDATE "notification_deliveries" SET "retry_from" = "created_at";
ALTER TABLE "notification_deliveries" ALTER COLUMN "retry_from" SET NOT NULL, ALTER COLUMN "retry_from" SET DEFAULT CURRENT_TIMESTAMP;
