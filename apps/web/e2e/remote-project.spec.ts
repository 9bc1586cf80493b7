// Issue 14: a project added by git remote URL from the UI is checked by a runner (reachable, base
// branch, roster at the base) and the page shows that runner's answer, or its error. A private
// HTTPS remote is checked with the token given in the form, which becomes the project's secret.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serveSmartHttp } from "@drover/repo/testing/smart-http";
import { expect, test, uid } from "./support/fixtures.ts";

/** A bare repository served over file://, its `main` holding a roster. */
function remoteWith(roster: string): { url: string; head: string; bare: string } {
  const root = path.join(process.env.DROVER_E2E_TMP!, `remote-${uid()}`);
  const seed = path.join(root, "seed");
  fs.mkdirSync(path.join(seed, ".drover"), { recursive: true });
  fs.writeFileSync(path.join(seed, ".drover", "project.toml"), roster);
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" }).toString().trim();
  git(seed, "init", "-q", "-b", "main");
  git(seed, "add", ".");
  git(seed, "-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  git(root, "clone", "-q", "--bare", seed, path.join(root, "shop.git"));
  return { url: `file://${path.join(root, "shop.git")}`, head: git(seed, "rev-parse", "HEAD"), bare: path.join(root, "shop.git") };
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

test("a private HTTPS remote: a wrong token is refused and nothing stored; the right one adds it and keeps the token as its secret", async ({
  page,
  db,
  runner,
}) => {
  expect(runner.pid, "the runner that reads the remote did not start").toBeDefined();
  const token = `tok-e2e-${uid()}`;
  const wrong = `tok-wrong-${uid()}`;
  const remote = remoteWith(`max_coders = 1\n\n${AGENT}`);
  const server = await serveSmartHttp(remote.bare, token);
  const bodies: string[] = [];
  page.on("response", async (r) => {
    bodies.push(await r.text().catch(() => ""));
  });
  try {
    const name = `private-${uid()}`;
    await page.goto("/projects/new");
    await page.getByLabel("Git remote URL + base branch").check();
    await page.getByLabel("Remote URL", { exact: true }).fill(server.url);
    await page.getByLabel("Project name").fill(name);
    await page.getByLabel("Remote token").fill(wrong);
    await page.getByLabel("Remote secret name").fill("GIT_TOKEN");
    await page.getByRole("button", { name: "Add remote project" }).click();
    const error = page.getByTestId("add-project-error");
    await expect(error).toContainText(
      `Cannot reach ${server.url} from ${os.hostname()}: the remote refused the token given for secret GIT_TOKEN; check the token`,
    );
    await expect(error).not.toContainText(wrong);
    expect(await db.project.count({ where: { name } })).toBe(0);

    await page.getByLabel("Remote token").fill(token);
    await page.getByRole("button", { name: "Add remote project" }).click();
    await expect(page.getByTestId("remote-answer")).toContainText(`read .drover/project.toml at commit ${remote.head.slice(0, 12)} of main`);
    await expect(page.getByLabel("Remote token")).toHaveValue("");
    const project = await db.project.findUniqueOrThrow({ where: { name } });
    expect(project).toMatchObject({ remoteUrl: server.url, remoteSecret: "GIT_TOKEN", configCommit: remote.head });
    expect((await db.projectSecret.findMany({ where: { projectId: project.id } })).map((s) => s.name)).toEqual(["GIT_TOKEN"]);
    expect(server.requests.some((q) => q.authorized)).toBe(true);

    // Neither token is in a stored request, nor in anything the browser got back.
    const rows = JSON.stringify(await db.runnerRequest.findMany({ where: { repoPath: server.url } }));
    for (const t of [token, wrong]) {
      expect(rows).not.toContain(t);
      expect(bodies.join("\n")).not.toContain(t);
    }
  } finally {
    server.stop();
  }
});
