// Runners on several hosts against one database and one git remote, with real separation: each
// host is a network namespace of its own running `drover runner` (own data folder, own HOME, no
// path shared with the other); the test's namespace serves Postgres (a relay to the test database)
// and the remote (git daemon) on a bridge. Projects are remote projects: every host clones them.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addRemoteProject, createStory } from "@drover/db/services/index";
import { approveStory } from "@drover/db/services/review";
import { testActor } from "@drover/db/testing/actors";
import { gitSync, makeRemote, refusePushesTo, remoteHeadOf, serveGitDaemon, type TestRemote } from "./remote-fixture.ts";
import { createTopology, namespacesUnavailable, processTree, type Topology } from "./netns.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const cliMain = path.join(repoRoot, "apps/runner/src/cli/main.ts");
// Long enough that a loaded machine (sessions heartbeat every second) never loses a lease by mistake.
const LEASE_SECS = 12;
const unavailable = namespacesUnavailable();
if (unavailable) console.warn(`SKIPPING the several-hosts tests: network namespaces cannot be created here: ${unavailable}`);

let t: TestDatabase;
let net: Topology;
let hostsDbUrl: string;
let work: string;
const daemons: Array<() => void> = [];
const runners = new Map<string, { proc: ChildProcess; out: () => string; dataDir: string }>();

const roster = (node: string, qa: "human" | "server") => `
default_qa = "${qa}"
max_retries = 3
gates = ["${node} script/gate.mjs"]
done_retention_secs = 100000

[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = ["${node}", "script/agent.mjs"]
`;

/** A bare remote served by git daemon on the server address, with every ref update logged (to prove nothing was forced). */
async function servedRemote(qa: "human" | "server"): Promise<{ r: TestRemote; url: string }> {
  const r = makeRemote(
    {
      "README.md": "hello\n",
      "script/agent.mjs": fs.readFileSync(path.join(import.meta.dirname, "fixtures/host-agent.mjs"), "utf8"),
      "script/gate.mjs": fs.readFileSync(path.join(import.meta.dirname, "fixtures/host-gate.mjs"), "utf8"),
    },
    roster(process.execPath, qa),
  );
  gitSync(r.bare, "config", "core.logAllRefUpdates", "always");
  const d = await serveGitDaemon(r, net.serverIp);
  daemons.push(d.stop);
  return { r, url: d.url };
}

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) {
      const logs = [...runners].map(([h, r]) => `---- ${h}\n${r.out().slice(-4000)}`).join("\n");
      const events = (await t.db.projectEvent.findMany({ orderBy: { id: "desc" }, take: 40 })).map(
        (e) => `${e.projectId}/${e.storyId} ${e.kind}: ${e.message}`,
      );
      const stories = await t.db.story.findMany({ select: { id: true, projectId: true, stage: true, mergeFailure: true, blockedReason: true } });
      throw new Error(`Timed out waiting for ${what}\n${JSON.stringify(stories)}\n${events.reverse().join("\n")}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `drover runner` inside a host's namespace, its own data folder and HOME; resolves once it registered. */
async function startHost(host: string): Promise<void> {
  const dataDir = path.join(work, host);
  fs.mkdirSync(path.join(dataDir, "home"), { recursive: true });
  const argv = [
    ...net.inHost(host),
    process.execPath,
    "--import",
    "tsx",
    cliMain,
    "runner",
    "--id",
    host,
    "--data-dir",
    dataDir,
    "--poll-ms",
    "300",
    "--heartbeat-secs",
    "1",
    "--lease-secs",
    String(LEASE_SECS),
    "--capacity",
    "2",
  ];
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: path.join(dataDir, "home"), DATABASE_URL: hostsDbUrl, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (c) => (out = (out + c).slice(-300_000)));
  proc.stderr!.on("data", (c) => (out = (out + c).slice(-300_000)));
  runners.set(host, { proc, out: () => out, dataDir });
  await waitFor(async () => out.includes('"runner started"') || out.includes("runner started"), `runner ${host} to start`, 90_000);
}

async function stopHost(host: string): Promise<void> {
  const r = runners.get(host);
  if (!r) return;
  runners.delete(host);
  if (r.proc.exitCode !== null) return;
  r.proc.kill("SIGTERM");
  await new Promise((res) => r.proc.once("exit", res));
}

/** Every process of a host at once (the runner, its guard, agents, sandboxes): as if the machine died. */
function killHost(host: string): void {
  const r = runners.get(host)!;
  const pids = processTree(r.proc.pid!);
  for (const p of pids) {
    try {
      process.kill(p, "SIGKILL");
    } catch {}
  }
  runners.delete(host);
}

/** The remote's ref updates of `branch`, from its reflog: each `old new` pair. */
function refUpdates(r: TestRemote, branch: string): Array<[string, string]> {
  const log = path.join(r.bare, "logs", "refs", "heads", branch);
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ").slice(0, 2) as [string, string]);
}
const ZERO = "0".repeat(40);
const isAncestor = (r: TestRemote, a: string, b: string) => {
  try {
    execFileSync("git", ["merge-base", "--is-ancestor", a, b], { cwd: r.bare });
    return true;
  } catch {
    return false;
  }
};

const storyRow = (id: number) => t.db.story.findUniqueOrThrow({ where: { id } });
const untilStage = (id: number, stage: string, timeoutMs?: number) =>
  waitFor(
    async () => {
      const s = await storyRow(id);
      return s.stage === stage ? s : undefined;
    },
    `story #${id} in ${stage}`,
    timeoutMs,
  );

describe.skipIf(!!unavailable)(`several hosts (network namespaces)${unavailable ? ` SKIPPED: ${unavailable}` : ""}`, () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-hosts-")));
    net = createTopology(2);
    const u = new URL(t.url);
    const port = await net.relay({ host: u.hostname, port: Number(u.port) });
    u.hostname = net.serverIp;
    u.port = String(port);
    hostsDbUrl = u.toString();
  }, 60_000);

  afterAll(async () => {
    for (const h of [...runners.keys()]) await stopHost(h);
    for (const d of daemons) d();
    net?.destroy();
    await t?.drop();
  }, 60_000);

  it("a story goes current → done with its code on the remote base: coder on one host, merge on the other", { timeout: 300_000 }, async () => {
    const [h1, h2] = net.hosts as [string, string];
    const { r, url } = await servedRemote("human");
    const p = await addRemoteProject(t.db, { remoteUrl: url, baseBranch: "main", name: "two-hosts" }, testActor);
    const base = remoteHeadOf(r, "main");
    await startHost(h1);
    await waitFor(async () => (await t.db.agent.count({ where: { projectId: p.id } })) > 0, "the roster read from the remote by a runner");

    const t0 = Date.now();
    const s = await createStory(
      t.db,
      { projectId: p.id, title: "Add cart", body: "# Add cart\n\n@e2e write cart.txt cart-from-h1\n", stage: "current" },
      testActor,
    );
    await untilStage(s.id, "qa");
    const t1 = Date.now();
    const coder = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, stage: "coder", status: "completed" } });
    expect(coder.runnerId).toBe(h1);
    // The coder's host pushed the story branch; it is on the remote, not only in h1's clone.
    expect(gitSync(r.bare, "show", `refs/heads/drover/${s.number}-add-cart:cart.txt`)).toBe("cart-from-h1");

    await stopHost(h1); // the coder's host is gone: only h2 can merge
    await startHost(h2);
    const t2 = Date.now();
    await approveStory(t.db, { projectId: p.id, storyNumber: s.number }, testActor);
    const done = await untilStage(s.id, "done");
    const t3 = Date.now();
    const head = remoteHeadOf(r, "main");
    expect(done.mergeCommit).toBe(head);
    expect(gitSync(r.bare, "show", `${head}:cart.txt`)).toBe("cart-from-h1");
    expect(gitSync(r.bare, "rev-parse", `${head}^`)).toBe(base);
    // h2's clone saw the merge land; h1's never moved past the old base.
    expect(gitSync(path.join(work, h2, "clones", String(p.id)), "rev-parse", "main")).toBe(head);
    expect(gitSync(path.join(work, h1, "clones", String(p.id)), "rev-parse", "main")).toBe(base);
    console.log(
      `several hosts: current → qa (coder, gates, push on ${h1}) ${t1 - t0} ms; approve → done (fetch, squash, gates, push, verify on ${h2}) ${t3 - t2} ms; total without the human wait ${t1 - t0 + (t3 - t2)} ms`,
    );
  });

  it("two stories merged while both hosts run: both land on the remote base, nothing force-pushed", { timeout: 300_000 }, async () => {
    const [h1, h2] = net.hosts as [string, string];
    const { r, url } = await servedRemote("server");
    const p = await addRemoteProject(t.db, { remoteUrl: url, baseBranch: "main", name: "two-merges" }, testActor);
    if (!runners.has(h1)) await startHost(h1);
    if (!runners.has(h2)) await startHost(h2);
    await waitFor(async () => (await t.db.agent.count({ where: { projectId: p.id } })) > 0, "the roster read from the remote");
    const t0 = Date.now();
    const [a, b] = await Promise.all([
      createStory(t.db, { projectId: p.id, title: "Alpha", body: "# Alpha\n\n@e2e write alpha.txt alpha\n", stage: "current" }, testActor),
      createStory(t.db, { projectId: p.id, title: "Beta", body: "# Beta\n\n@e2e write beta.txt beta\n", stage: "current" }, testActor),
    ]);
    const [da, db] = await Promise.all([untilStage(a.id, "done"), untilStage(b.id, "done")]);
    console.log(`several hosts: two stories current → done with both hosts running: ${Date.now() - t0} ms`);
    const head = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "show", `${head}:alpha.txt`)).toBe("alpha");
    expect(gitSync(r.bare, "show", `${head}:beta.txt`)).toBe("beta");
    for (const m of [da.mergeCommit!, db.mergeCommit!]) expect(isAncestor(r, m, head)).toBe(true);
    // Every update of the remote base was a fast-forward: nothing was forced over anything.
    for (const [from, to] of refUpdates(r, "main")) if (from !== ZERO) expect(isAncestor(r, from, to)).toBe(true);
    const coders = await t.db.agentSession.findMany({ where: { storyId: { in: [a.id, b.id] }, stage: "coder" }, select: { runnerId: true } });
    expect(coders.every((c) => c.runnerId === h1 || c.runnerId === h2)).toBe(true);
  });

  it("a host killed (all its processes) while its agent works: the other host carries the story on from the pushed branch within the lease", {
    timeout: 300_000,
  }, async () => {
    const [h1, h2] = net.hosts as [string, string];
    await stopHost(h2);
    if (!runners.has(h1)) await startHost(h1);
    const { r, url } = await servedRemote("server");
    const p = await addRemoteProject(t.db, { remoteUrl: url, baseBranch: "main", name: "killed-host" }, testActor);
    await waitFor(async () => (await t.db.agent.count({ where: { projectId: p.id } })) > 0, "the roster read from the remote");
    const s = await createStory(t.db, { projectId: p.id, title: "Two parts", body: "# Two parts\n\n@e2e two-part\n", stage: "current" }, testActor);
    // Part one was done, pushed and failed the gate; the retry now hangs on h1.
    const hanging = await waitFor(
      async () =>
        (await t.db.agentSession.findMany({ where: { storyId: s.id, status: "running", runnerId: h1 }, orderBy: { id: "asc" } })).find(
          (x) => x.id > 0 && x.trigger === "retry",
        ),
      "the retry running on h1",
    );
    expect(gitSync(r.bare, "show", `refs/heads/drover/${s.number}-two-parts:part1.txt`)).toBe("part one");
    await startHost(h2);
    const killedAt = Date.now();
    killHost(h1);
    const taken = await waitFor(
      async () => t.db.agentSession.findFirst({ where: { storyId: s.id, runnerId: h2, stage: "coder" }, orderBy: { id: "asc" } }),
      "h2 to take the story",
      (LEASE_SECS + 30) * 1000,
    );
    const takenAfter = (taken.startedAt ?? new Date()).getTime() - killedAt;
    const lost = await t.db.agentSession.findUniqueOrThrow({ where: { id: hanging.id } });
    expect(lost).toMatchObject({ status: "interrupted", reason: "runner_lost" });
    const done = await untilStage(s.id, "done");
    const head = remoteHeadOf(r, "main");
    expect(done.mergeCommit).toBe(head);
    expect(gitSync(r.bare, "show", `${head}:part1.txt`)).toBe("part one");
    expect(gitSync(r.bare, "show", `${head}:part2.txt`)).toBe("part two");
    const took = await t.db.sessionEvent.findMany({ where: { sessionId: taken.id } });
    expect(took.some((e) => `${e.text} ${JSON.stringify(e.payload)}`.includes("taken from the remote"))).toBe(true);
    console.log(`several hosts: h1 killed → h2 claimed the story ${takenAfter} ms later (lease ${LEASE_SECS} s)`);
    expect(takenAfter).toBeLessThan((LEASE_SECS + 15) * 1000);
  });

  it("the remote refuses the push of the base (a hook): the story is not done and the reason is on the board", { timeout: 300_000 }, async () => {
    const [h1, h2] = net.hosts as [string, string];
    if (!runners.has(h1)) await startHost(h1);
    if (!runners.has(h2)) await startHost(h2);
    const { r, url } = await servedRemote("server");
    refusePushesTo(r, "main", "main is protected: merge through a pull request");
    const p = await addRemoteProject(t.db, { remoteUrl: url, baseBranch: "main", name: "protected" }, testActor);
    await waitFor(async () => (await t.db.agent.count({ where: { projectId: p.id } })) > 0, "the roster read from the remote");
    const base = remoteHeadOf(r, "main");
    const s = await createStory(t.db, { projectId: p.id, title: "Refused", body: "# Refused\n\n@e2e write refused.txt x\n", stage: "current" }, testActor);
    const failed = await waitFor(async () => {
      const row = await storyRow(s.id);
      return row.mergeFailure ? row : undefined;
    }, "the merge failure on the board");
    expect(failed.stage).toBe("merge");
    expect(failed.mergeCommit).toBeNull();
    expect(failed.mergeFailure).toMatch(/the remote refused the push to main \(pre-receive hook declined\).*main is protected: merge through a pull request/);
    expect(remoteHeadOf(r, "main")).toBe(base);
  });
});
