// `drover stop <project> <story> <agent>`: stops a pending session now, asks the runner to stop a running one.
import type { Command } from "commander";
import { findProject, stopAgent } from "@drover/db/services/index";
import { print, storyNumberArg, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

export function register(program: Command): void {
  program
    .command("stop")
    .description("stop an agent working on a story")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("<agent>", "agent name")
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, agent: string, opts: { json?: boolean }) => {
      const api = remoteApi(program);
      const stop = async (run: () => Promise<Awaited<ReturnType<typeof stopAgent>>>) => {
        const r = await run();
        print(!!opts.json, r, () =>
          r.result === "stopped"
            ? `Stopped ${agent} on story ${story} (session #${r.sessionId}); the story is held for ${r.heldBy} until someone resumes, restarts or releases it`
            : `Asked the runner to stop ${agent} on story ${story} (session #${r.sessionId}); the story is held for ${r.heldBy} until someone resumes, restarts or releases it`,
        );
      };
      if (api) {
        return withRemote(api, (api) =>
          stop(async () => api.agents.stop.mutate({ projectId: await remoteProjectId(api, project), storyNumber: storyNumberArg(story), agentName: agent })),
        );
      }
      return withDb((db, actor) =>
        stop(async () => stopAgent(db, { projectId: (await findProject(db, project)).id, storyNumber: storyNumberArg(story), agentName: agent }, actor)),
      );
    });
}
