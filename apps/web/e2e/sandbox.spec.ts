// Issue #19: a project that opts out of the sandbox (sandbox = false) carries a permanent warning
// on its board; a sandboxed project (the default) has none.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, seeded, test, uid } from "./support/fixtures.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/19");

test("sandbox = false: the board warns, and keeps warning after a reload", async ({ page, db }) => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-nosandbox-"));
  const p = await db.project.create({ data: { name: `no-sandbox-${uid()}`, repoPath: repo, baseBranch: "main", config: { sandbox: false } } });
  await page.goto(`/?project=${p.id}`);
  const warning = page.getByTestId("sandbox-off-warning");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("sandbox = false");
  await expect(warning).toContainText("full access to this host");
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "sandbox-off-warning.png") });
  await page.reload();
  await expect(page.getByTestId("sandbox-off-warning")).toBeVisible();

  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByTestId("column-backlog")).toBeVisible();
  await expect(page.getByTestId("sandbox-off-warning")).toHaveCount(0);
});
