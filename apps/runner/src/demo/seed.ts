// First start with no projects: create the demo project (a fresh git repository in the data
// folder, a roster of deterministic command agents, a handful of stories across the stages).
import fs from "node:fs";
import path from "node:path";
import type { Db, Project } from "@drover/db";
import { storyBranch } from "@drover/core/pipeline/workspace";
import { addProject, createStory, logProjectEvent, updateStory } from "@drover/db/services/index";
import { repoAccess } from "@drover/repo";
import { commitStoryWork, createDemoRepo } from "./repo.ts";
import { DEMO_STORIES, type DemoStory } from "./stories.ts";
import { AUTOMATION } from "../automation/actors.ts";
import { storeDiffs } from "../runner/capture-diffs.ts";
import { branchHead } from "../runner/worktree.ts";

const DEMO_PROJECT_NAME = "demo";

/** Creates the demo project when the database has no project yet; returns it, or null when skipped. */
export async function seedDemoProject(db: Db, dataDir: string): Promise<Project | null> {
  if ((await db.project.count()) > 0) return null;
  const repo = path.join(dataDir, "demo-repo");
  // A repository left from an earlier data folder is reused only if it is a demo repository.
  if (fs.existsSync(repo) && !fs.existsSync(path.join(repo, ".drover", "demo", "agent.mjs"))) {
    throw new Error(`${repo} exists but is not Drover's demo repository: move it away or set DROVER_DATA_DIR`);
  }
  if (!fs.existsSync(path.join(repo, ".git"))) createDemoRepo(repo);
  const { project } = await addProject(db, { repoPath: repo, name: DEMO_PROJECT_NAME }, repoAccess, AUTOMATION.demo);
  for (const s of DEMO_STORIES) {
    const story = await createStory(db, { projectId: project.id, kind: s.kind, title: s.title, body: s.body, stage: s.stage, qa: s.qa }, AUTOMATION.demo);
    if (s.qa === "human" && s.stage === "qa") {
      await updateStory(db, { projectId: project.id, storyNumber: story.number, reviewHold: true }, AUTOMATION.demo);
    }
    if (s.work) await seedWork(db, project, story, s.work);
  }
  return db.project.update({ where: { id: project.id }, data: { isDemo: true } });
}

/** The branch and the finished coder session a story waiting in QA would have. */
async function seedWork(db: Db, project: Project, story: { id: number; number: number; slug: string }, work: NonNullable<DemoStory["work"]>) {
  const branch = storyBranch(story.number, story.slug);
  const headBefore = await branchHead(project.repoPath, project.baseBranch);
  commitStoryWork(project.repoPath, { branch, base: project.baseBranch, files: work.files, message: work.message });
  const agent = await db.agent.findUniqueOrThrow({ where: { projectId_name: { projectId: project.id, name: work.agent } } });
  const at = new Date();
  const session = await db.agentSession.create({
    data: {
      projectId: project.id,
      storyId: story.id,
      agentId: agent.id,
      stage: agent.stage,
      status: "completed",
      reason: "completed",
      message: "Prepared by the demo seed, so the change can be reviewed and approved",
      runtime: agent.runtime,
      trigger: "demo_seed",
      branch,
      baseBranch: project.baseBranch,
      report: { passed: true, gates: [] },
      createdAt: at,
      startedAt: at,
      finishedAt: at,
      handledAt: at,
    },
  });
  // As a runner would when the session ended: the web shows the change from the database.
  await storeDiffs(db, { repoPath: project.repoPath, storyId: story.id, sessionId: session.id, branch, baseBranch: project.baseBranch, headBefore });
  await logProjectEvent(db, {
    projectId: project.id,
    storyId: story.id,
    sessionId: session.id,
    agentName: agent.name,
    kind: "demo_seeded_work",
    actor: AUTOMATION.demo,
    message: `Demo seed: ${agent.name}'s change for story ${story.number} is on ${branch}, waiting for a person to approve it`,
  });
}
