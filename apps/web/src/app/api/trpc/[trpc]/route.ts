import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext, MAX_BATCH_SIZE, MAX_BODY_BYTES } from "@drover/api";
import { limitBody } from "@/server/body-limit";
import { guardedRoute } from "@/server/posture/guarded-route";

export const dynamic = "force-dynamic";

const handler = guardedRoute((req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limitBody(req, MAX_BODY_BYTES),
    router: appRouter,
    createContext,
    maxBatchSize: MAX_BATCH_SIZE,
  }),
);

export { handler as GET, handler as POST };
