// The other pages render their data: roster, agent, runners, activity, settings, add project.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";

// Adding and reloading a project is done by a runner that has the repository (the web has none).
test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("roster, agent page, runners, activity, settings and add-project pages", async ({ page, db }) => {
  const p = seeded().projectId;
  await newStory(db, `Activity story ${uid()}`);
  await page.goto(`/roster?project=${p}`);
  await expect(page.getByTestId("roster")).toContainText("slow-coder");
  await expect(page.getByTestId("roster")).toContainText("reviewer");
  await screenshot(page, "roster");

  await page.getByRole("link", { name: "quick-coder" }).click();
  await expect(page.getByRole("heading", { name: /quick-coder/ })).toBeVisible();
  await expect(page.getByText("Roster entry")).toBeVisible();
  await screenshot(page, "agent");

  await page.goto(`/runners?project=${p}`);
  await expect(page.getByRole("heading", { name: "Runners" })).toBeVisible();
  await screenshot(page, "runners");

  await page.goto(`/activity?project=${p}`);
  await expect(page.getByTestId("activity")).toContainText("Project e2e added");
  await screenshot(page, "activity");

  await page.goto(`/settings?project=${p}`);
  await expect(page.getByText("e2e fixture project")).toBeVisible();
  await expect(page.getByTestId("parsed-config")).toContainText("slow-coder");
  await screenshot(page, "settings");

  await page.goto(`/projects/new`);
  await page.getByLabel("Repository path").fill("/definitely/not/a/repo");
  await page.getByRole("button", { name: "Add project" }).click();
  // A runner answers (a runner stopped by an earlier test may be waited for until its heartbeat is stale).
  await expect(page.getByRole("main").getByRole("alert")).toContainText(/not a git repository|does not exist|not found/i, { timeout: 40_000 });
  await screenshot(page, "add-project");
});

test("add a project by path from the browser; a later config error shows with line and key", async ({ page }) => {
  // A roster that does not parse is refused at add (projects.spec.ts); one that breaks later is
  // reported while the last good config keeps running.
  const repo = path.join(process.env.DROVER_E2E_TMP!, `broken-${uid()}`);
  fs.mkdirSync(path.join(repo, ".drover"), { recursive: true });
  const roster = (extra: string[]) =>
    ['default_qa = "server"', "", "[[agent]]", 'name = "coder-1"', 'stage = "coder"', 'runtime = "command"', 'command = ["true"]', ...extra, ""].join("\n");
  fs.writeFileSync(path.join(repo, ".drover", "project.toml"), roster([]));
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  execFileSync("git", ["add", "."], { cwd: repo });
  execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@x", "commit", "-q", "-m", "init"], { cwd: repo });

  await page.goto("/projects/new");
  await page.getByLabel("Repository path").fill(repo);
  await page.getByLabel("Project name").fill(path.basename(repo));
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page).toHaveURL(/\/\?project=\d+$/);
  await expect(page.getByTestId("board-config-error")).toHaveCount(0);

  fs.writeFileSync(path.join(repo, ".drover", "project.toml"), roster(['max_turns = "many"']));
  const projectId = new URL(page.url()).searchParams.get("project");
  await page.goto(`/settings?project=${projectId}`);
  await page.getByRole("button", { name: "Reload .drover/project.toml" }).click();
  const problem = page.getByTestId("config-problem");
  await expect(problem).toContainText("line 8");
  await expect(problem).toContainText("agent[0].max_turns");
  await screenshot(page, "settings-config-error");
  await page.goto(`/?project=${projectId}`);
  await expect(page.getByTestId("board-config-error")).toBeVisible();
});
