// An unknown session id is a 404 page; the title names the session and its story.
import { Hydrated, type RecordLayoutProps, recordRoute } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";

const session = recordRoute(
  ({ id }) => getQueryClient().fetchQuery(trpcServer.views.session.queryOptions({ sessionId: Number(id) })),
  (s) => `Session ${s.id} · #${s.story.number} ${s.story.title}`,
);
export const generateMetadata = session.generateMetadata;

export default async function Layout(props: RecordLayoutProps) {
  await session.get(props);
  return <Hydrated>{props.children}</Hydrated>;
}
