// Issue #19: a run that tries to leave its sandbox, as a `command` agent run by the real runner and
// as a gate. Each attempt (a root-only file, a file outside the repository, Drover's data folder,
// another project's worktree, a write outside the worktree, the database port, a host not on the
// allowlist) is refused; the agent still commits its work and the session completes; refused
// connections are events in the session log. Then: the opt-out, and a host without bubblewrap.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { failureKind } from "@drover/core/automation/failure-kind";
import { runGates } from "../../src/automation/gates.ts";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { makeRepo, seedProject, seedSession, waitFor } from "../runner/helpers.ts";

let t: TestDatabase;
let runner: RunnerHandle;
let dataDir: string;
let outside: string;
let probeArgs: string[];

const probeOf = (text: string) => {
  const line = text.split("\n").find((l) => l.includes('{"probe"'));
  if (!line) throw new Error(`no probe report in:\n${text}`);
  return JSON.parse(line.slice(line.indexOf('{"probe"'))).probe as Record<string, unknown>;
};

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-sbx-data-"));
  fs.writeFileSync(path.join(dataDir, "secret.txt"), "drover data\n");
  outside = fs.mkdtempSync(path.join(os.tmpdir(), "drover-sbx-outside-"));
  fs.writeFileSync(path.join(outside, "secret.txt"), "outside\n");
  // Another project, with a worktree of its own.
  const other = makeRepo();
  await execa("git", ["worktree", "add", "-q", "-b", "drover/1-x", path.join(other, ".drover/worktrees/1-x")], { cwd: other });
  probeArgs = [
    path.join(outside, "secret.txt"),
    path.join(dataDir, "secret.txt"),
    path.join(other, ".drover/worktrees/1-x/README.md"),
    path.join(outside, "written.txt"),
    new URL(t.url).port || "5432",
  ];
  runner = await startTestRunner({
    databaseUrl: t.url,
    leaseSecs: 20,
    dataDir,
  });
});

afterAll(async () => {
  await runner?.stop();
  await t?.drop();
});

/** The probe reads the host paths it tries from probe-args.json (a command naming them would not start). */
async function repoWithProbe(args = probeArgs): Promise<string> {
  return makeRepo({
    files: {
      "README.md": "# probe\n",
      "probe.mjs": fs.readFileSync(path.join(import.meta.dirname, "probe.mjs"), "utf8"),
      "probe-args.json": JSON.stringify(args),
    },
  });
}

const root = process.getuid?.() === 0;
const refusedEverything = {
  shadow: "ENOENT",
  outside: "ENOENT",
  dataFolder: "ENOENT",
  otherWorktree: "ENOENT",
  write: "ENOENT",
  databaseDirect: "ECONNREFUSED",
  // A root runner makes the run's network namespace (every address answers with a refusal, which
  // it logs); bwrap's own, for any other runner, has no route there at all.
  elsewhereDirect: root ? "ECONNREFUSED" : "ENETUNREACH",
  database: "proxy 403",
  elsewhere: "proxy 403",
};
/** The refused addresses a run's log must name: through the proxy, and (root runners) made directly past it. */
const refusedAddresses = (dbPort: string) => [
  ...(root ? [`127.0.0.1:${dbPort}, made directly`, "192.0.2.1:443, made directly"] : []),
  `127.0.0.1:${dbPort}: not on`,
  "example.com:443: not on",
];
/** "host:port, made directly" / "host:port: not on" for each refusal in `texts`, sorted. */
const refusedIn = (texts: string[], prefix: string) =>
  texts
    .filter((t) => t.startsWith(prefix))
    .map((t) => /^.*?refused (?:a connection|a UDP datagram) to (\S+?(?:, made directly|: not on))/.exec(t)?.[1] ?? t)
    .sort();

describe("a sandboxed run", () => {
  it("as an agent: every probe is refused, the refusals are in the log, and it still commits and completes", async () => {
    const repo = await repoWithProbe();
    const p = await seedProject(t.db, repo);
    const s = await seedSession(t.db, p.id, { command: ["node", "probe.mjs", "commit"] });
    const done = await waitFor(async () => {
      const r = await t.db.agentSession.findUniqueOrThrow({ where: { id: s.id } });
      return r.finishedAt ? r : undefined;
    }, "the probe session to end");
    const events = await t.db.sessionEvent.findMany({ where: { sessionId: s.id }, orderBy: { seq: "asc" } });
    const log = events.map((e) => `${e.kind}: ${e.text ?? ""}`).join("\n");
    expect(done.status, log).toBe("completed");
    expect(probeOf(log)).toEqual({ ...refusedEverything, uid: root ? 1000 : process.getuid?.() });
    expect(fs.existsSync(path.join(outside, "written.txt"))).toBe(false);
    const port = probeArgs[4];
    const errors = events.filter((e) => e.kind === "error").map((e) => e.text ?? "");
    expect(refusedIn(errors, "Sandbox refused"), log).toEqual(refusedAddresses(port!).sort());
    // Its commit is on its branch, in the repository.
    const { stdout } = await execa("git", ["show", "drover/1-story-1:probe-report.json"], { cwd: repo });
    expect(JSON.parse(stdout).shadow).toBe("ENOENT");
  });

  it("as a gate: the same probes are refused, the refusals are in the gate's output", async () => {
    const repo = await repoWithProbe();
    const report = await runGates({ cwd: repo, gates: [["node", "probe.mjs"]], sandbox: {} });
    const out = report.gates[0]!.outputTail;
    expect(report.passed, out).toBe(true);
    const { uid: _uid, ...probe } = probeOf(out);
    expect(probe).toEqual(refusedEverything);
    expect(refusedIn(out.split("\n"), "[sandbox] refused"), out).toEqual(refusedAddresses(probeArgs[4]!).sort());
    expect(fs.existsSync(path.join(outside, "written.txt"))).toBe(false);
  });

  it("a roster's network_allow widens what it reaches", async () => {
    const repo = await repoWithProbe();
    const port = probeArgs[4]!;
    const report = await runGates({ cwd: repo, gates: [["node", "probe.mjs"]], sandbox: { network_allow: [`127.0.0.1:${port}`] } });
    const probe = probeOf(report.gates[0]!.outputTail);
    expect(probe.database).toBe("connected");
    expect(probe.elsewhere).toBe("proxy 403");
  });

  it("sandbox = false opts out: the same gate reads and writes outside", async () => {
    const target = path.join(outside, "opted-out.txt");
    const args = [...probeArgs];
    args[3] = target;
    const repo = await repoWithProbe(args);
    const report = await runGates({ cwd: repo, gates: [["node", "probe.mjs"]], sandbox: { sandbox: false } });
    const probe = probeOf(report.gates[0]!.outputTail);
    expect(probe.outside).toBe("read");
    expect(probe.write).toBe("written");
    expect(fs.existsSync(target)).toBe(true);
  });

  it("an agent whose command names a host file outside its sandbox fails at once, saying what to do, without retries", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const script = path.join(outside, "agent.mjs");
    fs.writeFileSync(script, "console.log('ran')\n");
    const s = await seedSession(t.db, p.id, { agent: "outsider", command: ["node", script] });
    const done = await waitFor(async () => {
      const r = await t.db.agentSession.findUniqueOrThrow({ where: { id: s.id } });
      return r.finishedAt ? r : undefined;
    }, "the session to end");
    expect(done).toMatchObject({ status: "failed", reason: "spawn_error", pid: null });
    expect(failureKind(done.status, done.reason)).toBe("environment"); // spends none of the story's retries
    expect(done.message).toBe(
      `agent outsider's command names ${script}, which its sandbox does not show (a sandboxed run sees its worktree, not the host): put the file in the repository and name it relative to the worktree, or set sandbox = false in .drover/project.toml`,
    );
    const fatal = await t.db.sessionEvent.findMany({ where: { sessionId: s.id, kind: "error" } });
    expect(fatal.map((e) => e.text)).toEqual([done.message]);
    expect(await t.db.sessionEvent.count({ where: { sessionId: s.id, kind: "text", text: "ran" } })).toBe(0);
    // One attempt, and nothing queued to try again.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await t.db.agentSession.findMany({ where: { storyId: done.storyId }, select: { attempt: true, status: true } })).toEqual([
      { attempt: done.attempt, status: "failed" },
    ]);
  });

  it("a gate naming a host file outside its sandbox fails with the same advice", async () => {
    const repo = await repoWithProbe();
    const report = await runGates({ cwd: repo, gates: [["node", path.join(outside, "secret.txt")]], sandbox: {} });
    expect(report.passed).toBe(false);
    expect(report.gates[0]!.error).toBe(
      `this command names ${path.join(outside, "secret.txt")}, which its sandbox does not show (a sandboxed run sees its worktree, not the host): put the file in the repository and name it relative to the worktree, or set sandbox = false in .drover/project.toml`,
    );
  });

  it("a host with bubblewrap but without tcpdump (which reports direct connections) refuses sandboxed runs, naming what to install", async () => {
    const repo = await repoWithProbe();
    const saved = process.env.PATH;
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "drover-no-tcpdump-"));
    for (const tool of ["bwrap", "socat"]) fs.symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(bin, tool));
    process.env.PATH = bin; // the sandbox's tools are looked up on the runner's PATH (ip in /usr/sbin too)
    try {
      const report = await runGates({ cwd: repo, gates: [["node", "probe.mjs"]], sandbox: {} });
      expect(report.passed).toBe(false);
      expect(report.gates[0]!.error).toMatch(
        /^unshare \(util-linux\), tcpdump not installed on this runner's host.*apt-get install -y bubblewrap socat tcpdump iproute2/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it("a host without bubblewrap refuses sandboxed runs and says how to install it", async () => {
    const repo = await repoWithProbe();
    const saved = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "drover-no-bwrap-")); // bwrap is looked up on the runner's PATH
    try {
      const report = await runGates({ cwd: repo, gates: [["node", "probe.mjs"]], sandbox: {} });
      expect(report.passed).toBe(false);
      expect(report.gates[0]!.error).toMatch(/bubblewrap \(bwrap\) is not installed.*apt-get install -y bubblewrap/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
