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
  storyIdAt,
  storyView,
  textSchema,
} from "@drover/db/services/index";
import { onlyVisible } from "@drover/auth/project-access";
import { storyChanges } from "./story-changes.ts";
import { procedure, router } from "../trpc.ts";

export const viewsRouter = router({
  projects: procedure.meta({ role: "viewer" }).query(async ({ ctx }) => onlyVisible(ctx.db, ctx.user, await projectChoices(ctx.db))),
  /** Everything the board draws: cards with their live agent, cost and criteria. */
  board: procedure
    .meta({ role: "viewer" })
    .input(boardInput)
    .query(({ ctx, input }) => readBoard(ctx.db, input)),
  story: procedure
    .meta({ role: "viewer" })
    .input(z.object({ storyId: idSchema }))
    .query(({ ctx, input }) => storyView(ctx.db, input.storyId)),
  /** A story by its project (id or name) and number, as the story page's URL names it. */
  storyAt: procedure
    .meta({ role: "viewer" })
    .input(z.object({ project: textSchema.min(1).max(200), number: idSchema }))
    .query(async ({ ctx, input }) => storyView(ctx.db, (await storyIdAt(ctx.db, input.project, input.number)).id)),
  /** A story's change: stored when it merged, else its branch against the project's base branch. */
  storyDiff: procedure
    .meta({ role: "viewer" })
    .input(z.object({ storyId: idSchema }))
    .query(({ ctx, input }) => storyChanges(ctx.db, input.storyId)),
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
