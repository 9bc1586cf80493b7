// The old address of a story (/stories/<database id>): redirects to /projects/<id>/stories/<number>.
import { createContext } from "@drover/api";
import { notFound, permanentRedirect } from "next/navigation";
import { storyHref } from "@/lib/story-href";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const storyId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const story = storyId ? await createContext().db.story.findUnique({ where: { id: storyId }, select: { projectId: true, number: true } }) : null;
  if (!story) notFound();
  permanentRedirect(storyHref(story.projectId, story.number));
}
