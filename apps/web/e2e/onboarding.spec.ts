// Issue 12 in the browser: adding a repository without a roster offers the starting roster (shown,
// then written uncommitted); the Doctor page names what agents lack; the runners page shows each
// runner's runtimes, versions and credential status; a story no runner can run says why on the board.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { createStory, startAgent } from "@drover/db/services/index";
import { expect, test, uid } from "./support/fixtures.ts";
import { testActor } from "@drover/db/testing/actors";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/12");
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

function npmRepo(): string {
  const repo = path.join(process.env.DROVER_E2E_TMP!, `onboard-${uid()}`);
  fs.mkdirSync(repo, { recursive: true });
  fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "onboard", scripts: { test: "node -e 0" } }));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, stdio: "pipe" }).toString();
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=e2e", "-c", "user.email=e2e@x", "commit", "-q", "-m", "init");
  return repo;
}

test("a repository without a roster is offered the starting one; the doctor and the board say what agents lack", async ({ page, db, runner }) => {
  expect(runner.pid).toBeTruthy();
  const repo = npmRepo();
  await page.goto("/projects/new");
  await page.getByLabel("Repository path").fill(repo);
  await page.getByLabel("Project name").fill(path.basename(repo));
  await page.getByRole("button", { name: "Add project" }).click();

  const offer = page.getByTestId("starter-roster-offer");
  await expect(offer).toContainText("gates found: npm test");
  await expect(offer).toContainText("written uncommitted");
  await expect(page.getByTestId("starter-roster")).toContainText('runtime = "claude-code"');
  await page.getByLabel("Runtime").selectOption("codex");
  await expect(page.getByTestId("starter-roster")).toContainText('runtime = "codex"');
  await shot(page, "add-project-starter-roster");
  // Nothing is written before the person says so.
  expect(fs.existsSync(path.join(repo, ".drover"))).toBe(false);

  await page.getByRole("button", { name: "Write this roster and add the project" }).click();
  await expect(page).toHaveURL(/\/\?project=\d+$/);
  const projectId = Number(new URL(page.url()).searchParams.get("project"));
  const written = fs.readFileSync(path.join(repo, ".drover/project.toml"), "utf8");
  expect(written).toContain('runtime = "codex"');
  expect(written).toContain('gates = ["npm test"]');
  expect(execFileSync("git", ["status", "--porcelain"], { cwd: repo }).toString()).toBe("?? .drover/\n");
  const agents = await db.agent.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  expect(agents.map((a) => [a.name, a.runtime])).toEqual([
    ["coder-1", "codex"],
    ["mergemaster", "codex"],
    ["qa", "codex"],
  ]);

  // The runners' PATH has no codex (apps/runner's node_modules/.bin is not on it): the doctor says so per agent.
  await page.goto(`/doctor?project=${projectId}`);
  const doctor = page.getByTestId("doctor");
  await expect(doctor.locator("tr", { hasText: "gate npm test" })).toHaveAttribute("data-status", "ok");
  await expect(doctor.locator("tr", { hasText: "agent coder-1 (codex)" })).toHaveAttribute("data-status", "fail");
  await expect(doctor.locator("tr", { hasText: "git identity" })).toHaveAttribute("data-status", "warn");
  await expect(page.getByTestId("doctor-summary")).toContainText("Something an agent needs is missing");
  await shot(page, "doctor");

  // A coder session of that roster waits, and the card says why.
  const story = await createStory(db, { projectId, title: `Codex story ${uid()}`, stage: "current" }, testActor);
  await startAgent(db, { projectId, storyNumber: story.number, agentName: "coder-1", trigger: "user" }, testActor).catch((e: Error) => {
    if (!/busy|already/.test(e.message)) throw e; // the pipeline's auto-assign started it first
  });
  await page.goto(`/?project=${projectId}`);
  await expect(page.getByText("Waiting: no runner can run codex: CLI missing on all runners")).toBeVisible({ timeout: 30_000 });
  await shot(page, "board-waiting");
});

test("the runners page shows each runner's runtimes, versions and credential status, never values", async ({ page, db }) => {
  // A runner with the gemini CLI on its PATH and a key in its environment (the fixture runner has no agent CLI).
  const id = `e2e-caps-${uid()}`;
  const home = fs.mkdtempSync(path.join(process.env.DROVER_E2E_TMP!, "home-"));
  const key = `gm-e2e-${uid()}`;
  const proc = spawn(
    "pnpm",
    ["exec", "tsx", "apps/runner/src/cli/main.ts", "runner", "--id", id, "--capacity", "1", "--no-pipeline", "--data-dir", path.join(home, "data")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PATH: `${path.join(repoRoot, "apps/runner/node_modules/.bin")}${path.delimiter}${process.env.PATH}`,
        HOME: home,
        GEMINI_API_KEY: key,
      },
      stdio: "ignore",
      detached: true,
    },
  );
  try {
    await expect.poll(() => db.runner.count({ where: { id, stoppedAt: null } }), { timeout: 90_000 }).toBe(1);
    const caps = (await db.runner.findUniqueOrThrow({ where: { id } })).capabilities as unknown as RunnerCapabilities;
    expect(caps.gemini).toMatchObject({ cli: "gemini", credentials: ["env GEMINI_API_KEY"] });
    await page.goto("/runners");
    const row = page.getByTestId("runners").locator("tr", { hasText: id });
    await expect(row.locator('[data-runtime="gemini"]')).toHaveText(`gemini ${caps.gemini!.version} · credential: env GEMINI_API_KEY`);
    expect(caps.gemini!.version).toMatch(/^0\.61\.0/);
    for (const [runtime, c] of Object.entries(caps)) {
      if (!c.path) await expect(row.locator(`[data-runtime="${runtime}"]`)).toHaveText(`${runtime} ${c.cli} CLI missing`);
    }
    expect(await page.content()).not.toContain(key);
    await shot(page, "runners");
  } finally {
    if (proc.pid) process.kill(-proc.pid, "SIGTERM");
  }
});
