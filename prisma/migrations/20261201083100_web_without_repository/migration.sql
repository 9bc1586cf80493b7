-- A web app without a file system: diffs captured by runners, and requests the web asks runners to do.
CREATE TABLE "story_branch_diffs" (
    "story_id" INTEGER NOT NULL,
    "branch" TEXT NOT NULL,
    "base_branch" TEXT NOT NULL,
    "base_commit" TEXT NOT NULL,
    "head_commit" TEXT NOT NULL,
    "file_count" INTEGER NOT NULL,
    "additions" INTEGER NOT NULL,
    "deletions" INTEGER NOT NULL,
    "files" JSONB NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "captured_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "story_branch_diffs_pkey" PRIMARY KEY ("story_id")
);

ALTER TABLE "story_branch_diffs" ADD CONSTRAINT "story_branch_diffs_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "session_diffs" (
    "session_id" INTEGER NOT NULL,
    "from_commit" TEXT NOT NULL,
    "to_commit" TEXT NOT NULL,
    "file_count" INTEGER NOT NULL,
    "additions" INTEGER NOT NULL,
    "deletions" INTEGER NOT NULL,
    "files" JSONB NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "captured_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_diffs_pkey" PRIMARY KEY ("session_id")
);

ALTER TABLE "session_diffs" ADD CONSTRAINT "session_diffs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agent_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "runner_requests" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "project_id" INTEGER,
    "repo_path" TEXT NOT NULL,
    "requested_by" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "runner_id" TEXT,
    "answer" JSONB,
    "error" TEXT,
    "declined" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "runner_requests_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "runner_requests_status_id_idx" ON "runner_requests"("status", "id");
