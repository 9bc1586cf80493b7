-- The change each story merged, kept when it merges: the story branch is deleted then, so this is
-- what the story page shows for done stories (per-file stats, patches bounded in size).
CREATE TABLE "story_changes" (
    "id" SERIAL NOT NULL,
    "story_id" INTEGER NOT NULL,
    "commit" TEXT NOT NULL,
    "base_commit" TEXT NOT NULL,
    "base_branch" TEXT NOT NULL,
    "file_count" INTEGER NOT NULL,
    "additions" INTEGER NOT NULL,
    "deletions" INTEGER NOT NULL,
    "files" JSONB NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "story_changes_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "story_changes_story_id_key" ON "story_changes"("story_id");

ALTER TABLE "story_changes" ADD CONSTRAINT "story_changes_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;
