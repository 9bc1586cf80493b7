-- CreateEnum
CREATE TYPE "StoryKind" AS ENUM ('story', 'bug', 'spike', 'refactor');

-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('backlog', 'current', 'qa', 'merge', 'done', 'archived');

-- CreateEnum
CREATE TYPE "QaMode" AS ENUM ('server', 'agent', 'human');

-- CreateEnum
CREATE TYPE "AgentStage" AS ENUM ('coder', 'qa', 'mergemaster', 'other');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('pending', 'running', 'completed', 'failed', 'stopped', 'interrupted');

-- CreateTable
CREATE TABLE "projects" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "repo_path" TEXT NOT NULL,
    "base_branch" TEXT NOT NULL DEFAULT 'main',
    "config_text" TEXT,
    "config_error" TEXT,
    "config" JSONB,
    "config_loaded_at" TIMESTAMPTZ(3),
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "next_story_number" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stories" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" "StoryKind" NOT NULL DEFAULT 'story',
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "stage" "Stage" NOT NULL DEFAULT 'backlog',
    "position" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "agent" TEXT,
    "qa" "QaMode",
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "blocked_reason" TEXT,
    "merge_failure" TEXT,
    "review_hold" BOOLEAN NOT NULL DEFAULT false,
    "depends_on" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "extra_front_matter" JSONB NOT NULL DEFAULT '{}',
    "merge_commit" TEXT,
    "stage_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "stage" "AgentStage" NOT NULL,
    "role" TEXT,
    "runtime" TEXT NOT NULL DEFAULT 'claude-code',
    "model" TEXT,
    "config" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "throttled_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_sessions" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "story_id" INTEGER NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "stage" "AgentStage" NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "message" TEXT,
    "runtime" TEXT NOT NULL,
    "model" TEXT,
    "runtime_session_id" TEXT,
    "resume_of_id" INTEGER,
    "resume_context" TEXT,
    "fresh" BOOLEAN NOT NULL DEFAULT false,
    "prompt" TEXT,
    "worktree_path" TEXT,
    "branch" TEXT,
    "base_branch" TEXT,
    "runner_id" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "pid" INTEGER,
    "pgid" INTEGER,
    "process_started_at" TIMESTAMPTZ(3),
    "exit_code" INTEGER,
    "outcome" TEXT,
    "turns" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,
    "cost_estimated" BOOLEAN NOT NULL DEFAULT false,
    "report" JSONB,
    "not_before" TIMESTAMPTZ(3),
    "stop_requested_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_events" (
    "id" BIGSERIAL NOT NULL,
    "session_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "payload" JSONB,
    "raw" TEXT,

    CONSTRAINT "session_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_events" (
    "id" BIGSERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "story_id" INTEGER,
    "session_id" INTEGER,
    "agent_name" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "payload" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runners" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "runners_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_name_key" ON "projects"("name");

-- CreateIndex
CREATE UNIQUE INDEX "projects_repo_path_key" ON "projects"("repo_path");

-- CreateIndex
CREATE INDEX "stories_project_id_stage_position_idx" ON "stories"("project_id", "stage", "position");

-- CreateIndex
CREATE UNIQUE INDEX "stories_project_id_number_key" ON "stories"("project_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "agents_project_id_name_key" ON "agents"("project_id", "name");

-- CreateIndex
CREATE INDEX "agent_sessions_status_not_before_idx" ON "agent_sessions"("status", "not_before");

-- CreateIndex
CREATE INDEX "agent_sessions_story_id_created_at_idx" ON "agent_sessions"("story_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_sessions_agent_id_created_at_idx" ON "agent_sessions"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_sessions_runner_id_status_idx" ON "agent_sessions"("runner_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "agent_sessions_one_active_per_agent" ON "agent_sessions"("agent_id") WHERE status IN ('pending', 'running');

-- CreateIndex
CREATE UNIQUE INDEX "agent_sessions_one_active_per_story_stage" ON "agent_sessions"("story_id", "stage") WHERE status IN ('pending', 'running') AND stage <> 'other';

-- CreateIndex
CREATE UNIQUE INDEX "session_events_session_id_seq_key" ON "session_events"("session_id", "seq");

-- CreateIndex
CREATE INDEX "project_events_project_id_id_idx" ON "project_events"("project_id", "id");

-- CreateIndex
CREATE INDEX "project_events_story_id_id_idx" ON "project_events"("story_id", "id");

-- AddForeignKey
ALTER TABLE "stories" ADD CONSTRAINT "stories_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_runner_id_fkey" FOREIGN KEY ("runner_id") REFERENCES "runners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_resume_of_id_fkey" FOREIGN KEY ("resume_of_id") REFERENCES "agent_sessions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agent_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_events" ADD CONSTRAINT "project_events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_events" ADD CONSTRAINT "project_events_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE SET NULL ON UPDATE CASCADE;
