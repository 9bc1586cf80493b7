-- AlterTable
ALTER TABLE "agent_sessions" ADD COLUMN     "handled_at" TIMESTAMPTZ(3);
