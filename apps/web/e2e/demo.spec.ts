// Issue 18 item 9: in the demo every visible action works (story 3's Approve merges its real
// change) and, left alone, the pipeline keeps moving: the autopilot promotes backlog stories,
// labelled as such. The runner here promotes after 4 idle seconds (DROVER_DEMO_PROMOTE_SECS;
// 45 s by default), so "the first minutes" are compressed into about a minute.
import { execFileSync } from "node:child_process";
import { artifact, expect, seeded, test } from "./support/fixtures.ts";

test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("demo: Approve on story 3 merges its change; the autopilot keeps the pipeline moving, labelled", async ({ page, db }) => {
  test.setTimeout(300_000);
  const projectId = seeded().demoProjectId;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const s3 = await db.story.findFirstOrThrow({ where: { projectId, number: 3 } });

  await page.goto(`/projects/${projectId}/stories/3`);
  await expect(page.getByTestId("story-changes")).toContainText("site/banner.txt");
  await page.getByTestId("story-actions").getByRole("button", { name: "Approve" }).click();
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: s3.id } })).stage, { timeout: 90_000 }).toBe("done");
  const banner = execFileSync("git", ["show", `${project.baseBranch}:site/banner.txt`], { cwd: project.repoPath, encoding: "utf8" });
  expect(banner).toBe("Welcome to the demo site!\n");
  expect((await db.story.findUniqueOrThrow({ where: { id: s3.id } })).mergeFailure).toBeNull();

  // Left alone, the demo keeps moving: several promotions, each labelled, each worked by the agents.
  await expect
    .poll(() => db.projectEvent.count({ where: { projectId, kind: "demo_promoted" } }), { timeout: 200_000, intervals: [2_000] })
    .toBeGreaterThanOrEqual(4);
  const promoted = await db.projectEvent.findMany({ where: { projectId, kind: "demo_promoted" }, orderBy: { id: "asc" } });
  expect(promoted.map((e) => e.agentName)).toEqual(promoted.map(() => "demo autopilot"));
  const firstPromoted = await db.story.findUniqueOrThrow({ where: { id: promoted[0]!.storyId! } });
  expect(["merge", "done"]).toContain(firstPromoted.stage);
  await page.goto(`/?project=${projectId}`);
  await expect(page.getByTestId("demo-autopilot-last")).toContainText(/Last: promoted #\d+ ".+" from backlog to current/);
  await artifact(page, 18, "demo-after-promotions");
  await page.goto(`/activity?project=${projectId}`);
  await expect(page.getByText(/Demo autopilot: promoted #\d+/).first()).toBeVisible();
});
