-- An agent's question to a person (MCP ask_human): the story is blocked while it waits, and the
-- session that asked is resumed with the answer.
ALTER TABLE "stories" ADD COLUMN "input_question" TEXT, ADD COLUMN "input_session_id" INTEGER;
