// A hostile repository (issue 10, items 2 and 12): links to host files in place of the roster or a
// story folder, an oversized roster, a FIFO, and a relative import path. Driven through the tRPC
// routers the web uses, so what projects.list would send to the browser is what is checked.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";
import { startTestRunner, type TestRunner } from "../testing/runner-process.ts";
import type { Db } from "@drover/db";
import { importRepo } from "@drover/db/services/storkit-io/import-repo";
import { exportPlan } from "@drover/db/services/storkit-io/export-plan";
import { addProject } from "@drover/db/services/projects";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { repoAccess, writeStorkitTree } from "@drover/repo";
import { rejects, ROSTER } from "@drover/db/testing/project-fixtures";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { testActor } from "@drover/db/testing/actors";

/** `drover export`: the data layer's plan, written by writeStorkitTree. */
async function exportProject(db: Db, ref: number, dir: string, opts: { force?: boolean }) {
  return writeStorkitTree(dir, (await exportPlan(db, ref)).files, opts);
}

let t: TestDatabase;
// projects.add, reload and imports.storkit are done by a runner that has the repository.
let runner: TestRunner;
beforeAll(async () => {
  t = await createTestDatabase();
  runner = await startTestRunner(t.db, t.url);
});
afterAll(async () => {
  await runner?.stop();
  await t.drop();
});

const api = () => createCallerFactory(appRouter)(testContext(t.db));

/** A host file outside every repository, with content that must never reach the database or the API. */
function hostSecret(): { file: string; dir: string; content: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-")));
  const content = `root:$6$SECRET-${path.basename(dir)}:19000:0:99999:7:::\n[[agent]]\nname = "from-host"\nstage = "coder"\n`;
  const file = path.join(dir, "shadow");
  fs.writeFileSync(file, content);
  return { file, dir, content };
}

function commitAll(repo: string) {
  execFileSync("git", ["add", "-A"], { cwd: repo });
  execFileSync("git", ["commit", "-q", "-m", "links"], { cwd: repo });
}

async function everythingStored(): Promise<string> {
  const projects = await t.db.project.findMany();
  const events = await t.db.projectEvent.findMany();
  const agents = await t.db.agent.findMany();
  const stories = await t.db.story.findMany();
  const listed = await api().projects.list();
  return JSON.stringify({ projects, events, agents, stories, listed }, (_k, v) => (typeof v === "bigint" ? String(v) : v));
}

describe("roster files", () => {
  it("refuses a roster that is a symbolic link to a host file: clear error, nothing of it stored or returned", async () => {
    const secret = hostSecret();
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, ".drover"));
    fs.symlinkSync(secret.file, path.join(repo, ".drover", "project.toml"));
    commitAll(repo);
    // Refused before the project is created (issue 18 item 7): the error says why, without the linked path.
    const message = await api()
      .projects.add({ repoPath: repo, name: "linked-roster" })
      .then(
        () => "added",
        (e: Error) => e.message,
      );
    expect(message).toMatch(
      /not added: its roster does not parse\. \.drover\/project\.toml is \(or lies under\) a symbolic link that leads outside the repository.*Replace the link with the file itself/,
    );
    expect(message).not.toContain(secret.file);
    expect(await t.db.project.count({ where: { name: "linked-roster" } })).toBe(0);
    const stored = await everythingStored();
    expect(stored).not.toContain("SECRET-");
    expect(stored).not.toContain("from-host");
  });

  it("refuses a config folder that is a link out of the repository, and a reload keeps nothing of the linked file", async () => {
    const secret = hostSecret();
    fs.renameSync(secret.file, path.join(secret.dir, "project.toml"));
    const repo = makeRepo({ config: ROSTER });
    const { project } = await addProject(t.db, { repoPath: repo, name: "linked-folder" }, repoAccess, testActor);
    expect(project.configError).toBeNull();
    fs.rmSync(path.join(repo, ".drover"), { recursive: true });
    fs.symlinkSync(secret.dir, path.join(repo, ".drover"));
    const r = await api().projects.reload({ projectId: project.id });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/symbolic link that leads outside the repository/);
    const row = await t.db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(row.configText).toBeNull();
    expect(await everythingStored()).not.toContain("SECRET-");
    // The last good roster stays.
    expect(await t.db.agent.count({ where: { projectId: project.id, enabled: true } })).toBe(6);
  });

  it("still reads a roster linked to a regular file inside the repository", async () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, "config"));
    fs.writeFileSync(path.join(repo, "config", "roster.toml"), ROSTER);
    fs.mkdirSync(path.join(repo, ".drover"));
    fs.symlinkSync("../config/roster.toml", path.join(repo, ".drover", "project.toml"));
    const { project, sync } = await addProject(t.db, { repoPath: repo, name: "inner-link" }, repoAccess, testActor);
    expect(project.configError).toBeNull();
    expect(sync.added).toContain("coder-1");
  });

  it("refuses an oversized roster with the limit in the error, and a FIFO without hanging", async () => {
    const repo = makeRepo({ config: `# padding\n${"#".repeat(1024 * 1024)}\n` });
    await rejects(
      addProject(t.db, { repoPath: repo, name: "big-roster" }, repoAccess, testActor),
      "BAD_REQUEST",
      /not added: its roster does not parse\. \.drover\/project\.toml is \d+ bytes; a roster may be at most 1 MiB\. Make it smaller$/,
    );

    const fifoRepo = makeRepo();
    fs.mkdirSync(path.join(fifoRepo, ".drover"));
    execFileSync("mkfifo", [path.join(fifoRepo, ".drover", "project.toml")]);
    await rejects(
      addProject(t.db, { repoPath: fifoRepo, name: "fifo-roster" }, repoAccess, testActor),
      "BAD_REQUEST",
      /not added: its roster does not parse\. \.drover\/project\.toml is not a regular file/,
    );
  });
});

function storkitRepo(): string {
  const repo = makeRepo({ configDir: ".storkit", config: `[[agent]]\nname = "coder-1"\nstage = "coder"\n` });
  const qa = path.join(repo, ".storkit", "work", "3_qa");
  fs.mkdirSync(qa, { recursive: true });
  fs.writeFileSync(path.join(qa, "8_story_order_history.md"), "---\nname: Order history\n---\n\n# Story 8: Order history\n");
  commitAll(repo);
  return repo;
}

describe("storkit import", () => {
  it("does not follow a stage folder or a story file linking outside the repository", async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-stories-")));
    fs.writeFileSync(path.join(outside, "1_story_host_secret.md"), "---\nname: SECRET-FOLDER\n---\n\n# Story 1: SECRET-FOLDER\n");
    const secret = hostSecret();
    const repo = storkitRepo();
    fs.symlinkSync(outside, path.join(repo, ".storkit", "work", "2_current"));
    fs.symlinkSync(secret.file, path.join(repo, ".storkit", "work", "3_qa", "9_story_shadow.md"));
    commitAll(repo);
    const r = await api().imports.storkit({ repoPath: repo, name: "linked-stories" });
    expect(r.stories.created).toEqual([8]);
    expect(r.skipped).toEqual([
      { file: ".storkit/work/2_current", reason: expect.stringMatching(/symbolic link that leads outside the repository .*not followed/) },
      { file: ".storkit/work/3_qa/9_story_shadow.md", reason: expect.stringMatching(/symbolic link that leads outside the repository/) },
    ]);
    const stored = await everythingStored();
    expect(stored).not.toContain("SECRET-");
  });

  it("refuses a tree root that links outside the repository", async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-tree-")));
    fs.mkdirSync(path.join(outside, "work", "1_upcoming"), { recursive: true });
    fs.writeFileSync(path.join(outside, "work", "1_upcoming", "1_story_host.md"), "---\nname: SECRET-TREE\n---\n");
    const repo = makeRepo();
    fs.symlinkSync(outside, path.join(repo, ".storkit"));
    await rejects(
      importRepo(t.db, repo, repoAccess, testActor),
      "BAD_REQUEST",
      /^\.storkit is a symbolic link that leads outside the repository .*replace it with a real folder/,
    );
    expect(await everythingStored()).not.toContain("SECRET-");
  });

  it("export never writes through a link out of the target folder", async () => {
    const { projectId } = await importRepo(t.db, storkitRepo(), repoAccess, testActor, { name: "to-export" });
    const project = { id: projectId };
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-export-")));
    const target = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-export-")));
    fs.mkdirSync(path.join(target, ".storkit"));
    fs.symlinkSync(outside, path.join(target, ".storkit", "work"));
    await rejects(exportProject(t.db, project.id, target, { force: true }), "BAD_REQUEST", /Refusing to write outside .*symbolic link/);
    // A file-level link (e.g. project.toml -> a host file) is refused too, and nothing was written.
    fs.rmSync(path.join(target, ".storkit", "work"));
    const victim = path.join(outside, "victim");
    fs.writeFileSync(victim, "unchanged");
    fs.symlinkSync(victim, path.join(target, ".storkit", "project.toml"));
    await rejects(exportProject(t.db, project.id, target, { force: true }), "BAD_REQUEST", /Refusing to write outside .*project\.toml.*symbolic link/);
    expect(fs.readFileSync(victim, "utf8")).toBe("unchanged");
    expect(fs.readdirSync(outside)).toEqual(["victim"]);
    expect(fs.existsSync(path.join(target, ".storkit", "work"))).toBe(false);
  });
});

describe("repository paths: one rule for project add and storkit import", () => {
  it("refuses a relative path in both, with the same message, instead of resolving it against the server's folder", async () => {
    const repo = storkitRepo();
    // Relative to this process's working directory, the path would name a real storkit repository.
    const relative = path.relative(process.cwd(), repo);
    expect(fs.existsSync(path.resolve(relative, ".storkit"))).toBe(true);
    const add = await api()
      .projects.add({ repoPath: relative })
      .catch((e: Error) => e);
    const imp = await api()
      .imports.storkit({ repoPath: relative })
      .catch((e: Error) => e);
    expect(add).toBeInstanceOf(Error);
    expect(imp).toBeInstanceOf(Error);
    expect((imp as Error).message).toBe((add as Error).message);
    expect((imp as Error).message).toMatch(/^Repository path must be absolute/);
    expect(await t.db.project.count({ where: { repoPath: repo } })).toBe(0);
  });

  it("refuses a folder inside a repository in both (import used to accept it)", async () => {
    const repo = storkitRepo();
    const sub = path.join(repo, ".storkit");
    await rejects(importRepo(t.db, sub, repoAccess, testActor), "BAD_REQUEST", /inside the git repository .*add the repository's root folder/);
  });
});
