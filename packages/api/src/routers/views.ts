// Read-only view queries for the web pages, each one service call. Writes go through the domain
// routers (projects, stories, agents, sessions, review); nothing here changes state.
import { z } from "zod";
import {
  activityInput,
  agentsView,
  agentView,
  boardInput,
  idSchema,
  projectActivity,
  projectChoices,
  projectSettings,
  readBoard,
  runnersView,
  sessionEvents,
  sessionEventsInput,
  sessionIndex,
  sessionIndexInput,
  sessionView,
  storyBranch,
  storyView,
} from "@drover/db/services/index";
import { branchDiff } from "@drover/repo/branch-diff";
import { procedure, router } from "../trpc.ts";

export const viewsRouter = router({
  projects: procedure.meta({ role: "viewer" }).query(({ ctx }) => projectChoices(ctx.db)),
  /** Everything the board draws: cards with their live agent, cost and criteria. */
  board: procedure
    .meta({ role: "viewer" })
    .input(boardInput)
    .query(({ ctx, input }) => readBoard(ctx.db, input)),
  story: procedure
    .meta({ role: "viewer" })
    .input(z.object({ storyId: idSchema }))
    .query(({ ctx, input }) => storyView(ctx.db, input.storyId)),
  /** The story branch (from its latest session that had one) against the project's base branch. */
  storyDiff: procedure
    .meta({ role: "viewer" })
    .input(z.object({ storyId: idSchema }))
    .query(async ({ ctx, input }) => {
      const { repoPath, base, branch } = await storyBranch(ctx.db, input.storyId);
      if (!branch) return { branch: null, base, files: [], error: undefined };
      return { branch, base, ...(await branchDiff(repoPath, base, branch)) };
    }),
  /** The roster with who is busy where. */
  agents: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId: idSchema }))
    .query(({ ctx, input }) => agentsView(ctx.db, input.projectId)),
  agent: procedure
    .meta({ role: "viewer" })
    .input(z.object({ agentId: idSchema }))
    .query(({ ctx, input }) => agentView(ctx.db, input.agentId)),
  session: procedure
    .meta({ role: "viewer" })
    .input(z.object({ sessionId: idSchema }))
    .query(({ ctx, input }) => sessionView(ctx.db, input.sessionId)),
  sessionIndex: procedure
    .meta({ role: "viewer" })
    .input(sessionIndexInput)
    .query(({ ctx, input }) => sessionIndex(ctx.db, input)),
  sessionEvents: procedure
    .meta({ role: "viewer" })
    .input(sessionEventsInput)
    .query(({ ctx, input }) => sessionEvents(ctx.db, input)),
  runners: procedure.meta({ role: "viewer" }).query(({ ctx }) => runnersView(ctx.db)),
  activity: procedure
    .meta({ role: "viewer" })
    .input(activityInput)
    .query(({ ctx, input }) => projectActivity(ctx.db, input)),
  settings: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId: idSchema }))
    .query(({ ctx, input }) => projectSettings(ctx.db, input.projectId)),
});
