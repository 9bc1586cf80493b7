// Issue 18 items 7-8: a repository whose roster does not parse is not added (the error names the
// line the bracket was opened on; fixed, the same form adds it); the no-good-config state is worded
// truthfully; a project is archived, unarchived and removed (confirmed by name) from Settings,
// and its repository is left exactly as it was.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addProject } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { expect, test, uid } from "./support/fixtures.ts";
import { repoWithRoster } from "./support/repo.ts";

const AGENT = `[[agent]]\nname = "a"\nstage = "other"\nruntime = "command"\ncommand = ["true"]\n`;

test("a roster that does not parse is refused with its line; fixed, the same form adds the project", async ({ page, db, runner }) => {
  expect(runner.pid, "the runner that reads the repository did not start").toBeDefined();
  const repo = repoWithRoster(`max_coders = 1\ngates = ["script/test"\n\n${AGENT}`);
  const name = `broken-${uid()}`;
  await page.goto("/projects/new");
  await page.getByLabel("Repository path").fill(repo);
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Add project" }).click();
  const error = page.getByTestId("add-project-error");
  await expect(error).toContainText("not added: its roster does not parse");
  await expect(error).toContainText('at line 2, column 9: "[" opened here is never closed');
  await expect(error.getByTestId("add-project-error-line")).toHaveText("Line 2");
  expect(await db.project.count({ where: { name } })).toBe(0);

  fs.writeFileSync(path.join(repo, ".drover", "project.toml"), `max_coders = 1\ngates = ["script/test"]\n\n${AGENT}`);
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page).toHaveURL(/\/\?project=\d+$/);
  expect(await db.project.findUniqueOrThrow({ where: { name } })).toMatchObject({ configError: null });
});

test("a project whose config never parsed says so, not that a last good config is in use", async ({ page, db }) => {
  const p = await db.project.create({
    data: {
      name: `never-parsed-${uid()}`,
      repoPath: `/nonexistent/${uid()}`,
      configText: "x = [\n",
      configError: ".drover/project.toml: not valid TOML at line 1",
    },
  });
  await page.goto(`/?project=${p.id}`);
  await expect(page.getByTestId("board-config-error")).toContainText("has never parsed, so no agents are configured");
  await expect(page.getByTestId("board-config-error")).not.toContainText("last good config");
  await page.goto(`/settings?project=${p.id}`);
  await expect(page.getByTestId("config-error")).toContainText("has never parsed");
  await db.project.delete({ where: { id: p.id } });
});

test("archive, unarchive and remove a project from Settings; the repository is untouched", async ({ page, db }) => {
  const repo = repoWithRoster(AGENT);
  const { project } = await addProject(db, { repoPath: repo, name: `gone-${uid()}` }, repoAccess, testActor);
  const files = () => (fs.readdirSync(repo, { recursive: true }) as string[]).sort();
  const before = files();
  const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" });

  await page.goto(`/settings?project=${project.id}`);
  const zone = page.getByTestId("danger-zone");
  await zone.getByRole("button", { name: "Archive project" }).click();
  await expect(zone.getByTestId("project-archived")).toBeVisible();
  expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).archivedAt).not.toBeNull();
  await expect(page.getByLabel("Project").locator(`option[value="${project.id}"]`)).toHaveCount(0);
  await zone.getByRole("button", { name: "Unarchive" }).click();
  await expect(page.getByLabel("Project").locator(`option[value="${project.id}"]`)).toHaveCount(1);

  const remove = zone.getByRole("button", { name: "Remove project" });
  await expect(remove).toBeDisabled();
  await zone.getByLabel("Type the project name to remove it").fill(project.name);
  await remove.click();
  await expect(page).toHaveURL(/\/$/);
  expect(await db.project.count({ where: { id: project.id } })).toBe(0);
  expect(files()).toEqual(before);
  expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" })).toBe(head);
});
