// The old address of a story (/stories/<database id>): redirects to /projects/<id>/stories/<number>
// for a signed-in caller (the proxy only looks for a cookie; the look-up is checked here).
import { signedInFromHeaders } from "@drover/auth";
import { headers } from "next/headers";
import { notFound, permanentRedirect, redirect } from "next/navigation";
import { storyHref } from "@/lib/story-href";
import { webDb } from "@/server/auth";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = webDb();
  if (!(await signedInFromHeaders(db, await headers()))) redirect(`/sign-in?next=${encodeURIComponent(`/stories/${id}`)}`);
  const storyId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const story = storyId ? await db.story.findUnique({ where: { id: storyId }, select: { projectId: true, number: true } }) : null;
  if (!story) notFound();
  permanentRedirect(storyHref(story.projectId, story.number));
}
