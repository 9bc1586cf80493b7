// An unknown agent id is a 404 page; the title names the agent.
import { recordLayout } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";

const agent = recordLayout(
  (agentId) => getQueryClient().fetchQuery(trpcServer.views.agent.queryOptions({ agentId })),
  (a) => `${a.name} (agent)`,
);
export const generateMetadata = agent.generateMetadata;
export default agent.Layout;
