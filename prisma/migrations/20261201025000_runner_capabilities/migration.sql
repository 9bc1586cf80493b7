-- What each runner can run (per runtime: CLI path and version, credential sources by name, never
-- values), recorded at start and on each heartbeat; claims and the board's waiting reason read it.
ALTER TABLE "runners" ADD COLUMN     "capabilities" JSONB;
-- The fingerprint of the secret key the runner holds (never the key): a session whose credential is
-- a Drover secret goes to a runner that can decrypt it.
ALTER TABLE "runners" ADD COLUMN     "secret_key_id" TEXT;
