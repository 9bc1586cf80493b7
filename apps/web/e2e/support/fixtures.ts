// Shared test fixtures: the app's base URL, a database client for arranging data through the
// domain services, and screenshots saved under test-results/screenshots/.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Page } from "@playwright/test";
import { createDb, type Db } from "@drover/db";
import { createStory } from "@drover/db/services/index";
import type { Seeded } from "./seed.ts";

const shotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-results/screenshots");

export function seeded(): Seeded {
  return JSON.parse(process.env.DROVER_E2E_SEED ?? "{}") as Seeded;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

let shared: Db | undefined;

export const test = base.extend<{ db: Db }>({
  baseURL: async ({}, use) => use(process.env.DROVER_E2E_BASE_URL),
  db: async ({}, use) => {
    shared ??= createDb(process.env.DATABASE_URL!, { max: 2 });
    await use(shared);
  },
});

/** A new story in the fixture project; unique titles keep tests independent. */
export async function newStory(db: Db, title: string, extra: { body?: string; stage?: "backlog" | "current" | "qa" | "merge" | "done"; agent?: string } = {}) {
  return createStory(db, { projectId: seeded().projectId, title, ...extra });
}

export { expect };
