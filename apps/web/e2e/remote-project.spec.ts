// Issue 14: a project added by git remote URL from the UI is checked by a runner (reachable, base
// branch, roster at the base) and the page shows that runner's answer, or its error.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, uid } from "./support/fixtures.ts";

/** A bare repository served over file://, its `main` holding a roster. */
function remoteWith(roster: string): { url: string; head: string } {
  const root = path.join(process.env.DROVER_E2E_TMP!, `remote-${uid()}`);
  const seed = path.join(root, "seed");
  fs.mkdirSync(path.join(seed, ".drover"), { recursive: true });
  fs.writeFileSync(path.join(seed, ".drover", "project.toml"), roster);
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" }).toString().trim();
  git(seed, "init", "-q", "-b", "main");
  git(seed, "add", ".");
  git(seed, "-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  git(root, "clone", "-q", "--bare", seed, path.join(root, "shop.git"));
  return { url: `file://${path.join(root, "shop.git")}`, head: git(seed, "rev-parse", "HEAD") };
}

const AGENT = `[[agent]]\nname = "remote-a"\nstage = "other"\nruntime = "command"\ncommand = ["true"]\n`;

test("a remote project added from the UI: a missing branch is the runner's error; then the runner's answer is shown", async ({ page, db, runner }) => {
  expect(runner.pid, "the runner that reads the remote did not start").toBeDefined();
  const remote = remoteWith(`max_coders = 1\n\n${AGENT}`);
  const name = `remote-${uid()}`;
  await page.goto("/projects/new");
  await page.getByLabel("Git remote URL + base branch").check();
  await page.getByLabel("Remote URL", { exact: true }).fill(remote.url);
  await page.getByLabel("Base branch", { exact: true }).fill("release");
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Add remote project" }).click();
  await expect(page.getByTestId("add-project-error")).toContainText(`${remote.url} has no branch release`);
  expect(await db.project.count({ where: { name } })).toBe(0);

  await page.getByLabel("Base branch", { exact: true }).fill("main");
  await page.getByRole("button", { name: "Add remote project" }).click();
  const answer = page.getByTestId("remote-answer");
  await expect(answer).toContainText(`runner on ${os.hostname()} read .drover/project.toml at commit ${remote.head.slice(0, 12)} of main`);
  await expect(answer).toContainText("Agents: remote-a");
  expect(await db.project.findUniqueOrThrow({ where: { name } })).toMatchObject({ remoteUrl: remote.url, configCommit: remote.head, configError: null });
});
