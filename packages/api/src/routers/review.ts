// Review actions people take: approve or reject a story waiting for human QA, and restart a
// stuck story (resets its retries, clears block and merge failure).
import { approveInput, approveStory, rejectInput, rejectStory, retryInput, retryStory } from "@drover/db/services/review";
import { procedure, router } from "../trpc.ts";

export const reviewRouter = router({
  approve: procedure
    .meta({ role: "member" })
    .input(approveInput)
    .mutation(({ ctx, input }) => approveStory(ctx.db, input, ctx.actor)),
  reject: procedure
    .meta({ role: "member" })
    .input(rejectInput)
    .mutation(({ ctx, input }) => rejectStory(ctx.db, input, ctx.actor)),
  retry: procedure
    .meta({ role: "member" })
    .input(retryInput)
    .mutation(({ ctx, input }) => retryStory(ctx.db, input, ctx.actor)),
});
