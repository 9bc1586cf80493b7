// When a session ends the runner stores its diff (its own commits) and its story branch's diff
// against the base, so the web serves them from the database with no repository at hand.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedBranchDiff, storedSessionDiff } from "@drover/db/services/story-changes";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { makeRepo, seedProject, seedSession, sessionEnded } from "./helpers.ts";

let t: TestDatabase;
let runner: RunnerHandle;

beforeAll(async () => {
  t = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-capture-"));
  runner = await startTestRunner({
    databaseUrl: t.url,
    dataDir,
  });
});
afterAll(async () => {
  await runner?.stop();
  await t?.drop();
});

const commit = (file: string, text: string) => [
  "sh",
  "-c",
  `printf '${text}' > ${file} && git add ${file} && git -c user.name=a -c user.email=a@a commit -q -m ${file}`,
];

const ended = (id: number) => sessionEnded(t.db, id);

describe("diffs captured when a session ends", () => {
  it("stores each session's own commits and the whole branch against the base, readable after the repository is gone", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo);
    const first = await seedSession(t.db, p.id, { command: commit("one.txt", "1\\n"), slug: "two-files" });
    expect((await ended(first.id)).status).toBe("completed");
    const second = await seedSession(t.db, p.id, { storyNumber: 1, command: commit("two.txt", "2\\n2\\n") });
    expect((await ended(second.id)).status).toBe("completed");

    const s1 = await storedSessionDiff(t.db, first.id);
    const s2 = await storedSessionDiff(t.db, second.id);
    expect(s1?.files.map((f) => [f.path, f.status, f.additions])).toEqual([["one.txt", "added", 1]]);
    expect(s2?.files.map((f) => [f.path, f.status, f.additions])).toEqual([["two.txt", "added", 2]]);
    expect(s2?.fromCommit).toBe(s1?.toCommit);

    fs.renameSync(repo, `${repo}-gone`);
    const branch = await storedBranchDiff(t.db, first.storyId);
    expect(branch).toMatchObject({ branch: "drover/1-two-files", baseBranch: "main", headCommit: s2?.toCommit, truncated: false, additions: 3 });
    expect(branch!.files.map((f) => f.path)).toEqual(["one.txt", "two.txt"]);
    expect(branch!.files[1]!.patch).toContain("+2");
    expect(branch!.capturedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("stores no session diff for a session that committed nothing", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo);
    const s = await seedSession(t.db, p.id, { command: ["true"] });
    expect((await ended(s.id)).status).toBe("completed");
    expect(await storedSessionDiff(t.db, s.id)).toBeNull();
    expect((await storedBranchDiff(t.db, s.storyId))?.files).toEqual([]);
  });
});
