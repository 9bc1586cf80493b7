// An unknown agent id is a 404 page; the title names the agent.
import { Hydrated, type RecordLayoutProps, recordRoute } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";

const agent = recordRoute(
  ({ id }) => getQueryClient().fetchQuery(trpcServer.views.agent.queryOptions({ agentId: Number(id) })),
  (a) => `${a.name} (agent)`,
);
export const generateMetadata = agent.generateMetadata;

export default async function Layout(props: RecordLayoutProps) {
  await agent.get(props);
  return <Hydrated>{props.children}</Hydrated>;
}
