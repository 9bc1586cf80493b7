-- Pages must not slow down as history grows: a project's sessions by start time (daily spend,
-- cost roll-ups) and a session's resumes (the session page) were sequential scans of every session.
-- CreateIndex
CREATE INDEX "agent_sessions_project_id_started_at_idx" ON "agent_sessions"("project_id", "started_at");

-- CreateIndex
CREATE INDEX "agent_sessions_resume_of_id_idx" ON "agent_sessions"("resume_of_id");
