-- The last roster text that parsed: what the runner runs from. config_text holds what the file says
-- now, even when it is broken; a broken file never replaces the last good roster.
ALTER TABLE "projects" ADD COLUMN     "roster_text" TEXT;
UPDATE "projects" SET "roster_text" = "config_text" WHERE "config_error" IS NULL;
