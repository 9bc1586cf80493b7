-- Cost roll-ups by time (dailySpend's budget check) count a session by started_at, or by created_at
-- when it never started. The started branch uses agent_sessions_project_id_started_at_idx; without
-- this index the never-started branch read all of a project's never-started sessions and the
-- whole range of created_at across projects (BitmapAnd), growing with history.
CREATE INDEX "agent_sessions_project_id_created_at_unstarted_idx" ON "agent_sessions"("project_id", "created_at") WHERE started_at IS NULL;
