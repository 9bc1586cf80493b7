// `drover retry <project> <story> [agent]`: a person restarts a stuck story: retries reset, block
// and merge failure cleared, the stage's agent restarted (in merge, Drover merges again).
import type { Command } from "commander";
import { findProject } from "@drover/db/services/index";
import { retryStory } from "@drover/db/services/review";
import { print, storyNumberArg, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

function report(json: boolean, r: { story: { number: number; stage: string }; session: { id: number } | null }): void {
  print(
    json,
    { number: r.story.number, stage: r.story.stage, sessionId: r.session?.id ?? null },
    () => `Story ${r.story.number} restarted (retries reset)${r.session ? `; session #${r.session.id} pending` : `; Drover merges it on its next pass`}`,
  );
}

export function register(program: Command): void {
  program
    .command("retry")
    .description("restart a story: reset its retries, clear block and merge failure, restart its agent")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("[agent]", "agent to restart (default: the last one at the story's stage)")
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, agent: string | undefined, opts: { json?: boolean }) => {
      const api = remoteApi(program);
      if (api) {
        // Remotely the server records the token's owner as who restarted.
        return withRemote(api, async (api) =>
          report(
            !!opts.json,
            await api.review.retry.mutate({ projectId: await remoteProjectId(api, project), storyNumber: storyNumberArg(story), agentName: agent }),
          ),
        );
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        report(!!opts.json, await retryStory(db, { projectId: p.id, storyNumber: storyNumberArg(story), agentName: agent }, actor));
      });
    });
}
