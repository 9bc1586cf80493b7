-- AlterTable
ALTER TABLE "agent_sessions" ADD COLUMN     "fresh_prompt" TEXT,
ADD COLUMN     "resume_runtime_session_id" TEXT,
ADD COLUMN     "trigger" TEXT;
