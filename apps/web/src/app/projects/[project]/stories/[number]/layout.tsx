// An unknown project or story number is a 404 page; the title names the story.
import { Hydrated, type RecordLayoutProps, recordRoute } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";
import { storyAtInput } from "./story-address";

type Params = { project: string; number: string };

const story = recordRoute(
  (params: Params) => getQueryClient().fetchQuery(trpcServer.views.storyAt.queryOptions(storyAtInput(params))),
  (s) => `#${s.number} ${s.title}`,
);
export const generateMetadata = story.generateMetadata;

export default async function Layout(props: RecordLayoutProps<Params>) {
  await story.get(props);
  return <Hydrated>{props.children}</Hydrated>;
}
