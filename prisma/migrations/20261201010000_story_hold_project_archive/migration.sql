-- A story a person stopped waits for them (held_by, held_at); an imported story keeps its storkit
-- file name for export; an archived project leaves the board and the runner's passes.
ALTER TABLE "stories" ADD COLUMN     "held_by" TEXT,
ADD COLUMN     "held_at" TIMESTAMPTZ(3),
ADD COLUMN     "storkit_name" TEXT;
ALTER TABLE "projects" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);
