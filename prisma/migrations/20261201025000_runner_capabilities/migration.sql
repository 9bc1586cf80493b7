-- What each runner can run (per runtime: CLI path and version, credential sources by name, never
-- values), recorded at start and on each heartbeat; claims and the board's waiting reason read it.
ALTER TABLE "runners" ADD COLUMN     "capabilities" JSONB;
