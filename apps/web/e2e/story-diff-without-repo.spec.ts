// Issue 14: the story page's diff comes from the database. A runner stores it when the session
// ends; the repository is then moved away, and the page still shows the change, when it was
// captured, and what the session's own commits changed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addProject, createStory, startAgent } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { expect, test, uid } from "./support/fixtures.ts";

function repoWithCommittingAgent(): string {
  const dir = path.join(process.env.DROVER_E2E_TMP!, `diff-${uid()}`);
  fs.mkdirSync(path.join(dir, ".drover"), { recursive: true });
  // Stage "other": auto-assign never starts it; the test does. It commits two lines in its worktree.
  const script = "printf 'one\\ntwo\\n' > feature.txt && git add feature.txt && git -c user.name=a -c user.email=a@a commit -q -m feature";
  fs.writeFileSync(
    path.join(dir, ".drover", "project.toml"),
    `[[agent]]\nname = "committer"\nstage = "other"\nruntime = "command"\ncommand = ["sh", "-c", ${JSON.stringify(script)}]\n`,
  );
  fs.writeFileSync(path.join(dir, "README.md"), "# diff\n");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  return dir;
}

test("the story page shows the branch's change from the database after the repository is gone", async ({ page, db, runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
  const repo = repoWithCommittingAgent();
  const { project } = await addProject(db, { repoPath: repo, name: `diff-${uid()}` }, repoAccess, testActor);
  const story = await createStory(db, { projectId: project.id, title: `Diff story ${uid()}` }, testActor);
  const session = await startAgent(db, { projectId: project.id, storyNumber: story.number, agentName: "committer", trigger: "user" }, testActor);
  await expect.poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).status, { timeout: 60_000 }).toBe("completed");

  fs.renameSync(repo, `${repo}-moved`);
  await page.goto(`/projects/${project.id}/stories/${story.number}`);
  const changes = page.getByTestId("story-changes");
  await expect(changes).toContainText(`vs ${project.baseBranch}`);
  await expect(changes.getByTestId("change-captured-at")).toContainText("captured");
  await expect(changes.locator("summary", { hasText: "feature.txt" })).toContainText("+2");
  await expect(changes.getByTestId("session-changes")).toContainText(`Session ${session.id}: 1 file(s) +2`);
  await changes.locator("summary", { hasText: "feature.txt" }).click();
  await expect(changes).toContainText("+two");
});
