// An unknown story id is a 404 page; the title names the story.
import { Hydrated, type RecordLayoutProps, recordRoute } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";

const story = recordRoute(
  (storyId) => getQueryClient().fetchQuery(trpcServer.views.story.queryOptions({ storyId })),
  (s) => `#${s.number} ${s.title}`,
);
export const generateMetadata = story.generateMetadata;

export default async function Layout(props: RecordLayoutProps) {
  await story.get(props);
  return <Hydrated>{props.children}</Hydrated>;
}
