// The app's tRPC router: one sub-router per area, each in routers/. Domain routers register
// themselves here with one line each.
import { router } from "./trpc.ts";
import { boardRouter } from "./routers/board.ts";
import { liveRouter } from "./routers/live.ts";
import { viewsRouter } from "./routers/views.ts";

export const appRouter = router({
  board: boardRouter,
  views: viewsRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
