// Roster env values never reach the browser: the settings and agent pages show the names only.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addProject } from "@drover/db/services/index";
import { expect, test, uid } from "./support/fixtures.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

const SECRET = "sk-live-123";

test("settings and agent pages show env names, never their values", async ({ page, db }) => {
  const repo = path.join(process.env.DROVER_E2E_TMP!, `secrets-${uid()}`);
  fs.mkdirSync(path.join(repo, ".drover"), { recursive: true });
  fs.writeFileSync(
    path.join(repo, ".drover", "project.toml"),
    ["[[agent]]", 'name = "keyed"', 'stage = "coder"', 'runtime = "command"', 'command = ["true"]', `env = { OPENAI_API_KEY = "${SECRET}" }`, ""].join("\n"),
  );
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@x", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const { project } = await addProject(db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);
  const agent = await db.agent.findFirstOrThrow({ where: { projectId: project.id, name: "keyed" } });

  await page.goto(`/settings?project=${project.id}`);
  await expect(page.getByTestId("parsed-config")).toContainText("OPENAI_API_KEY");
  await expect(page.getByText('env = { OPENAI_API_KEY = "(hidden)" }')).toBeVisible();
  expect(await page.content()).not.toContain(SECRET);

  await page.goto(`/agents/${agent.id}?project=${project.id}`);
  await expect(page.getByText("Roster entry")).toBeVisible();
  await expect(page.locator("pre").filter({ hasText: "OPENAI_API_KEY" })).toContainText('"OPENAI_API_KEY": "(hidden)"');
  expect(await page.content()).not.toContain(SECRET);
});
