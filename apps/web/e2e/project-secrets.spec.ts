// A project's secrets in the UI: stored encrypted from the settings page, listed by name only,
// removed; the value never comes back to the browser in any response.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addProject } from "@drover/db/services/index";
import { repoAccess } from "@drover/repo";
import { drover } from "./support/drover-cli.ts";
import { expect, seeded, test, uid } from "./support/fixtures.ts";
import { testActor } from "@drover/db/testing/actors";
import { createTokenInPage } from "./support/account-token.ts";

const VALUE = `sk-ui-secret-${Date.now().toString(36)}-value`;

test("admins set, list and remove project secrets; the value is never sent back", async ({ page, db }) => {
  const repo = path.join(process.env.DROVER_E2E_TMP!, `project-secrets-${uid()}`);
  fs.mkdirSync(repo, { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@x", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const { project } = await addProject(db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);

  const bodies: string[] = [];
  page.on("response", async (r) => {
    bodies.push(await r.text().catch(() => ""));
  });
  await page.goto(`/settings?project=${project.id}`);
  const section = page.getByTestId("project-secrets");
  await expect(section).toContainText("No secrets yet.");
  await section.getByLabel("Name").fill("openai");
  await section.getByLabel("Value").fill(VALUE);
  await section.getByRole("button", { name: "Save secret" }).click();
  await expect(section.getByTestId("secret-row")).toHaveCount(1);
  await expect(section.getByTestId("secret-row")).toContainText("openai");
  await expect(section.getByLabel("Value")).toHaveValue("");
  await expect(section).toContainText("Created the encryption key");
  fs.mkdirSync(path.resolve(import.meta.dirname, "../test-results/artifacts/12"), { recursive: true });
  await page.screenshot({ path: path.resolve(import.meta.dirname, "../test-results/artifacts/12/project-secrets.png"), fullPage: true });

  // Encrypted at rest, with a 0600 key file in the data folder.
  const row = await db.projectSecret.findFirstOrThrow({ where: { projectId: project.id, name: "openai" } });
  expect(row.encrypted).not.toContain(VALUE);
  expect(fs.statSync(path.join(process.env.DROVER_E2E_TMP!, "data", "secret.key")).mode & 0o777).toBe(0o600);

  // A reload lists it again, still without the value anywhere.
  await page.reload();
  await expect(section.getByTestId("secret-row")).toContainText("openai");
  expect(await page.content()).not.toContain(VALUE);
  expect(bodies.filter((b) => b.includes(VALUE))).toEqual([]);

  await section.getByRole("button", { name: "Remove openai" }).click();
  await expect(section).toContainText("No secrets yet.");
  expect(await db.projectSecret.count({ where: { projectId: project.id } })).toBe(0);
});

// After the page test: the server's key exists by now (that test checks it is made and announced).
test("an admin's token manages a project's secrets from the command line, the value never printed", async ({ page, db }) => {
  const baseURL = process.env.DROVER_E2E_BASE_URL!;
  const token = await createTokenInPage(page, `cli-admin-${uid()}`);
  const remote = ["--url", baseURL, "--token", token];
  const project = String(seeded().projectId);
  const name = `cli_${uid()}`;
  const value = `sk-cli-${uid()}-value`;

  const set = await drover([...remote, "secret", "set", project, name], `${value}\n`);
  expect(set.stderr).not.toContain(value);
  expect(set.code).toBe(0);
  expect(set.stdout).toContain(`Secret ${name} set`);
  const stored = await db.projectSecret.findUniqueOrThrow({ where: { projectId_name: { projectId: seeded().projectId, name } } });
  expect(stored.encrypted).not.toContain(value);
  const list = await drover([...remote, "secret", "list", project, "--json"]);
  expect(JSON.parse(list.stdout).map((r: { name: string }) => r.name)).toContain(name);
  expect(list.stdout).not.toContain(value);
  expect((await drover([...remote, "secret", "rm", project, name])).code).toBe(0);
  expect(await db.projectSecret.count({ where: { projectId: seeded().projectId, name } })).toBe(0);
});
