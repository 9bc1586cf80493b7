// `drover project archive|unarchive|remove` as a real child process (issue 18 item 8).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { drover, fixtureRepo } from "./helpers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("drover project", { timeout: 300_000 }, () => {
  it("archives, unarchives and removes (confirmed by name) without touching the repository", async () => {
    const repo = fixtureRepo();
    expect((await drover(t.url, ["import", repo, "--name", "shop"])).code).toBe(0);
    const a = await drover(t.url, ["project", "archive", "shop", "--json"]);
    expect(a.stderr).toBe("");
    expect(a.json()).toMatchObject({ name: "shop", archivedAt: expect.any(String), stoppedSessions: [] });
    expect((await t.db.project.findUniqueOrThrow({ where: { name: "shop" } })).archivedAt).toBeInstanceOf(Date);
    expect((await drover(t.url, ["project", "unarchive", "shop"])).stdout).toMatch(/Project shop is back on the board/);

    // No terminal and no --confirm: refused, nothing removed.
    const refused = await drover(t.url, ["project", "remove", "shop"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs confirmation: pass --confirm "shop"/);
    const wrong = await drover(t.url, ["project", "remove", "shop", "--confirm", "Shop"]);
    expect(wrong.stderr).toMatch(/confirm with its name exactly \("shop"\); nothing was removed/);
    expect(await t.db.project.count({ where: { name: "shop" } })).toBe(1);

    const before = fs.readdirSync(repo, { recursive: true }).sort();
    const r = await drover(t.url, ["project", "remove", "shop", "--confirm", "shop"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`Removed project shop \\(10 stories\\); ${repo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} was not touched`));
    expect(await t.db.project.count({ where: { name: "shop" } })).toBe(0);
    expect(fs.readdirSync(repo, { recursive: true }).sort()).toEqual(before);
    expect(fs.existsSync(path.join(repo, ".storkit/work/2_current/12_bug_cart_total_rounding.md"))).toBe(true);
  });
});
