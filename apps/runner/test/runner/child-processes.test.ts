// What a run starts besides its agent (setup commands, gates, teardown, git and its hooks) runs the repository's code:
// it gets the allow-listed environment, never the runner's (no DATABASE_URL, nothing the operator
// exported), and it is guarded: a runner killed with SIGKILL takes their process groups with it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { runGates } from "../../src/automation/gates.ts";
import { runTeardown } from "../../src/automation/teardown.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { ensureWorktree } from "../../src/runner/worktree.ts";
import { groupMembers } from "../../src/runner/process-group.ts";
import { groupAlive, makeRepo, repoRoot, seedProject, seedSession, waitFor } from "./helpers.ts";

const SECRET_DB = "postgresql://drover:supersecret@127.0.0.1:1/drover";
const saved: Record<string, string | undefined> = {};
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-child-env-"));
  for (const k of ["DATABASE_URL", "SECRET_X"]) saved[k] = process.env[k];
  process.env.SECRET_X = "do-not-leak";
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The environment a command dumped with `env > file`, as name -> value. */
function dumped(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

function expectClean(env: Record<string, string>) {
  expect(Object.keys(env).length).toBeGreaterThan(0);
  expect(env.DATABASE_URL).toBeUndefined();
  expect(env.SECRET_X).toBeUndefined();
  expect(Object.values(env).join("\n")).not.toContain("supersecret");
  expect(env.PATH).toBe(process.env.PATH);
}

describe("the environment of setup, gates and teardown", () => {
  it("a gate that dumps its environment sees PATH, not DATABASE_URL or the runner's other variables", async () => {
    process.env.DATABASE_URL = SECRET_DB;
    const r = await runGates({ cwd: dir, gates: [["sh", "-c", "env > gate.env"]] });
    expect(r.passed).toBe(true);
    const env = dumped(path.join(dir, "gate.env"));
    expectClean(env);
    expect(env.CI).toBe("1");
  });

  it("a teardown command likewise", async () => {
    process.env.DATABASE_URL = SECRET_DB;
    expect(await runTeardown([{ name: "c", teardown: ['sh -c "env > teardown.env"'] }], dir)).toEqual([]);
    expectClean(dumped(path.join(dir, "teardown.env")));
  });

  it("a git hook the repository installed (post-checkout on worktree add) likewise", async () => {
    process.env.DATABASE_URL = SECRET_DB;
    const repo = await makeRepo();
    const out = path.join(dir, "hook.env");
    fs.writeFileSync(path.join(repo, ".git", "hooks", "post-checkout"), `#!/bin/sh\nenv > ${out}\n`, { mode: 0o755 });
    const root = path.join(repo, ".worktrees");
    await ensureWorktree({ repoPath: repo, root, path: path.join(root, "1-hook"), branch: "drover/1-hook", baseBranch: "main" });
    const env = dumped(out);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SECRET_X).toBeUndefined();
    expect(env.PATH).toBeDefined(); // git puts its exec-path first
  });

  it("a setup command run by the runner for a session likewise", async () => {
    const t: TestDatabase = await createTestDatabase();
    // The runner connects with its own URL; the variable in its environment is the secret one.
    process.env.DATABASE_URL = SECRET_DB;
    const runner = await startTestRunner({
      databaseUrl: t.url,
      capacity: 1,
      dataDir: path.join(dir, "runner"),
    });
    try {
      // In its worktree: a setup runs in the agent's sandbox, which sees nothing else to write to.
      const p = await seedProject(t.db, await makeRepo(), { component: [{ name: "app", path: ".", setup: ["env > setup.env"] }] });
      const s = await seedSession(t.db, p.id, { command: ["true"] });
      const done = await waitFor(
        async () => {
          const row = await t.db.agentSession.findUniqueOrThrow({ where: { id: s.id } });
          return row.status === "completed" || row.status === "failed" ? row : undefined;
        },
        "the session to end",
        60_000,
      );
      expect(done.status).toBe("completed");
      expectClean(dumped(path.join(done.worktreePath!, "setup.env")));
    } finally {
      await runner.stop();
      await t.drop();
    }
  }, 90_000);
});

describe("a runner killed with SIGKILL while a command runs", () => {
  for (const kind of ["gate", "setup", "teardown"] as const) {
    it(`takes the ${kind}'s process group with it within seconds`, async () => {
      const cwd = fs.mkdtempSync(path.join(dir, `${kind}-`));
      const proc = execa(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fixtures/long-command.ts"), kind, cwd], {
        cwd: repoRoot,
        reject: false,
        all: true,
      });
      let out = "";
      proc.all!.on("data", (d: Buffer) => (out += d.toString()));
      const pgid = await waitFor(async () => Number(fs.readFileSync(path.join(cwd, "pgid"), "utf8").trim()) || undefined, `the ${kind} to start`, 30_000, 50);
      expect(groupAlive(pgid)).toBe(true);
      const killedAt = Date.now();
      proc.kill("SIGKILL");
      await proc; // resolves once the guard, which shares its stderr, is gone too
      try {
        // The bound crash.test.ts gives agents: the guard (a fresh node process here) may boot slowly on a busy machine.
        await waitFor(async () => !groupAlive(pgid), `the ${kind}'s group to die`, 10_000, 50).catch((e) => {
          throw new Error(`${(e as Error).message}; members ${JSON.stringify(groupMembers(pgid))}; fixture output: ${out}`);
        });
      } finally {
        try {
          process.kill(-pgid, "SIGKILL"); // never leave it behind, even when the test fails
        } catch {
          /* gone, as it should be */
        }
      }
      const ms = Date.now() - killedAt;
      console.log(`${kind}: process group gone ${ms} ms after kill -9 of the runner`);
      expect(ms).toBeLessThan(10_000);
    }, 60_000);
  }
});
