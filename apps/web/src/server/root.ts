// The app's tRPC router: one sub-router per area, each in routers/.
import { router } from "./trpc.ts";
import { boardRouter } from "./routers/board.ts";

export const appRouter = router({
  board: boardRouter,
});

export type AppRouter = typeof appRouter;
