// An unknown story id is a 404 page; the title names the story.
import { recordLayout } from "@/server/record-layout";
import { getQueryClient, trpcServer } from "@/server/trpc-server";

const story = recordLayout(
  (storyId) => getQueryClient().fetchQuery(trpcServer.views.story.queryOptions({ storyId })),
  (s) => `#${s.number} ${s.title}`,
);
export const generateMetadata = story.generateMetadata;
export default story.Layout;
