// Agents: the roster with who is busy where, start (rules 1-10) and stop.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { listRoster, startAgent, startAgentInput, stopAgent } from "@drover/db/services/index";
import { procedure, router } from "../trpc.ts";

const projectId = idSchema;
const storyNumber = idSchema;
const agentName = textSchema.trim().min(1).max(100);

/** What a person may ask for; trigger and the pipeline's own fields are set here or by the runner. */
const startInput = startAgentInput.pick({
  projectId: true,
  storyNumber: true,
  agentName: true,
  resumeOfSessionId: true,
  context: true,
  fresh: true,
  unblock: true,
});

export const agentsRouter = router({
  roster: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId }))
    .query(({ ctx, input }) => listRoster(ctx.db, input.projectId)),
  start: procedure
    .meta({ role: "member" })
    .input(startInput)
    .mutation(({ ctx, input }) => startAgent(ctx.db, { ...input, trigger: input.resumeOfSessionId ? "resume" : "user" }, ctx.actor)),
  stop: procedure
    .meta({ role: "member" })
    .input(z.object({ projectId, storyNumber, agentName }))
    .mutation(({ ctx, input }) => stopAgent(ctx.db, input, ctx.actor)),
});
