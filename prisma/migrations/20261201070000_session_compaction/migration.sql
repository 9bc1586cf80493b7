-- Event retention: a finished session's events are compacted after event_retention_days, keeping
-- the full raw log once, gzip-compressed, so the raw download still works.
ALTER TABLE "agent_sessions" ADD COLUMN "compacted_at" TIMESTAMPTZ(3), ADD COLUMN "events_before" INTEGER, ADD COLUMN "events_kept" INTEGER;

CREATE TABLE "session_raw_logs" (
    "session_id" INTEGER NOT NULL,
    "gzip" BYTEA NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_raw_logs_pkey" PRIMARY KEY ("session_id")
);

ALTER TABLE "session_raw_logs" ADD CONSTRAINT "session_raw_logs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agent_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
