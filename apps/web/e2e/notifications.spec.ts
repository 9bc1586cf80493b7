// Browser notifications: permission is asked from the Notifications page on a click (never on
// load); once subscribed, a blocked story shows a desktop notification in the open tab.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addProject, blockStory, createStory, unblockStory } from "@drover/db/services/index";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";
import { expect, test, uid } from "./support/fixtures.ts";

test("a subscribed event shows a desktop notification in the open tab", async ({ page, context, db }) => {
  const repo = path.join(process.env.DROVER_E2E_TMP!, `notifications-${uid()}`);
  fs.mkdirSync(repo, { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@x", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const { project } = await addProject(db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);
  const story = await createStory(db, { projectId: project.id, title: "Tell me when stuck", stage: "current" }, testActor);

  // The person's "Allow" in the browser's own prompt (Playwright cannot click it): granted when the page asks.
  await page.exposeFunction("__allowInPrompt", () => context.grantPermissions(["notifications"]));
  // A spy in front of the real Notification: records what the page shows, asks the real one for permission.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __shown: { title: string; body?: string }[];
      __allowInPrompt: () => Promise<void>;
      Notification: typeof Notification;
    };
    const Real = w.Notification;
    w.__shown = [];
    class Spy {
      onclick: (() => void) | null = null;
      constructor(title: string, opts?: NotificationOptions) {
        w.__shown.push({ title, body: opts?.body });
      }
      static get permission() {
        return Real.permission;
      }
      static async requestPermission() {
        await w.__allowInPrompt();
        return Real.requestPermission();
      }
    }
    w.Notification = Spy as unknown as typeof Notification;
  });
  await page.goto("/notifications");
  const section = page.getByTestId("browser-notifications");
  // Not asked on load: the button asks.
  await section.getByRole("button", { name: "Allow desktop notifications" }).click();
  await expect(section).toContainText("Allowed.");
  // No reload from here on: the tab's notifier must follow the permission it was just given.
  await section.getByRole("button", { name: "Notify me of these" }).click();
  await expect(section.getByTestId("browser-subscription")).toContainText("story.blocked");

  const shown = () => page.evaluate(() => (window as unknown as { __shown: { title: string; body?: string }[] }).__shown);
  // The tab's live stream may still be connecting: block again until one arrives.
  await expect(async () => {
    await unblockStory(db, { projectId: project.id, storyNumber: story.number }, testActor).catch(() => {});
    await blockStory(db, { projectId: project.id, storyNumber: story.number, reason: "needs a product decision" }, testActor);
    await expect
      .poll(shown, { timeout: 4_000 })
      .toContainEqual({ title: `${project.name} #${story.number} Tell me when stuck is blocked`, body: "needs a product decision" });
  }).toPass({ timeout: 40_000 });
});
