// `drover reject <project> <story> <notes>`: a person rejects a story waiting for human QA; the
// notes go into the story and its coder restarts with them.
import type { Command } from "commander";
import { findProject } from "@drover/db/services/index";
import { rejectStory } from "@drover/db/services/review";
import { print, storyNumberArg, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

type Rejected = Awaited<ReturnType<typeof rejectStory>>;

function report(json: boolean, r: Pick<Rejected, "story" | "startError"> & { session: { id: number } | null }): void {
  print(
    json,
    { number: r.story.number, stage: r.story.stage, sessionId: r.session?.id ?? null, startError: r.startError ?? null },
    () =>
      `Story ${r.story.number} rejected and back in ${r.story.stage}; ${r.session ? `coder restarted (session #${r.session.id})` : `coder not started now (${r.startError}); auto-assign will restart it`}`,
  );
}

export function register(program: Command): void {
  program
    .command("reject")
    .description("reject a story waiting for human review, with notes; it goes back to current and its coder restarts")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("<notes>", "what to fix")
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, notes: string, opts: { json?: boolean }) => {
      const api = remoteApi(program);
      if (api) {
        // Remotely the server records the token's owner as who rejected.
        return withRemote(api, async (api) =>
          report(!!opts.json, await api.review.reject.mutate({ projectId: await remoteProjectId(api, project), storyNumber: storyNumberArg(story), notes })),
        );
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        report(!!opts.json, await rejectStory(db, { projectId: p.id, storyNumber: storyNumberArg(story), notes }, actor));
      });
    });
}
