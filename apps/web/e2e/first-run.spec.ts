// First run: a Drover with no users offers no way in but the one-time setup link (what `drover up`
// prints); the link makes the first admin, once. Its own app server over a fresh, empty database.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSetupLink, invitationPath } from "@drover/auth";
import { createDb } from "@drover/db";
import { dropDatabase, ensureDatabase } from "@drover/db/embedded";
import { applyMigrations } from "@drover/db/migrate";
import { freePort, start, stopGroup, waitFor } from "./global-setup.ts";
import { expect, test } from "./support/fixtures.ts";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

test.use({ storageState: { cookies: [], origins: [] } });

test("first run: the setup link creates the admin, then it is spent", async ({ page }) => {
  const adminUrl = process.env.DROVER_E2E_PG_ADMIN_URL!;
  const name = "drover_first_run";
  await ensureDatabase(adminUrl, name);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  await applyMigrations(url);
  const db = createDb(url, { max: 2 });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "production" as const, LOG_LEVEL: "warn" };
  for (const k of Object.keys(env)) if (k.startsWith("DROVER_OIDC_")) delete env[k as keyof typeof env];
  const web = start(path.join(webDir, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: webDir,
    env,
    logFile: path.join(webDir, "test-results", "e2e-logs", "web-first-run.log"),
  });
  try {
    await waitFor(`${base}/sign-in`, web, "next start (first run)");
    await page.goto(`${base}/`);
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByTestId("not-set-up")).toContainText("setup link");

    const link = await createSetupLink(db); // what `drover up` prints on a first start
    await page.goto(`${base}${invitationPath(link!.token)}`);
    await expect(page.getByRole("heading", { name: "Set up Drover" })).toBeVisible();
    await page.getByLabel("Email").fill("first@drover.test");
    await page.getByLabel("Name").fill("Fay First");
    await page.getByLabel(/^Password/).fill("first-admin-password");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await expect(page.getByTestId("me")).toContainText("Fay First");
    await expect(page.getByTestId("me")).toContainText("admin");
    expect(await createSetupLink(db)).toBeNull();

    await page.goto(`${base}${invitationPath(link!.token)}`);
    await expect(page.locator("main [role=alert]")).toContainText("already used");
  } finally {
    await stopGroup(web);
    await db.$disconnect();
    await dropDatabase(adminUrl, name).catch(() => {});
  }
});
