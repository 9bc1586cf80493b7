// Issue 12, `drover doctor`: the real CLI on the demo project (healthy: exit 0), on a project whose
// agents have their credential (OK lines name the source, never the value), and on a broken project
// (claude CLI missing, a gate not executable, no credential for codex): each problem named, exit 1.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { seedDemoProject } from "../../src/demo/seed.ts";
import { ensureClis } from "../e2e-runtimes/helpers.ts";
import { drover, gitInit } from "./helpers.ts";

const binDir = path.resolve(import.meta.dirname, "../../node_modules/.bin");
// git and node, no agent CLI.
const basePath = [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);
const noKeys = { ANTHROPIC_API_KEY: undefined, ANTHROPIC_AUTH_TOKEN: undefined, CLAUDE_CODE_OAUTH_TOKEN: undefined, OPENAI_API_KEY: undefined };
const emptyHome = () => fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-home-"));

let t: TestDatabase;
beforeAll(async () => {
  ensureClis(); // claude's native binary in place of its npm stub
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/** A repository with the given roster and files, with a repo-local git identity. */
function repoWith(roster: string, files: Record<string, { text: string; mode?: number }> = {}): string {
  const dir = gitInit(fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-")));
  fs.mkdirSync(path.join(dir, ".drover"));
  fs.writeFileSync(path.join(dir, ".drover/project.toml"), roster);
  for (const [rel, f] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), f.text, { mode: f.mode ?? 0o644 });
  }
  execFileSync("git", ["config", "user.name", "Dev"], { cwd: dir });
  execFileSync("git", ["config", "user.email", "dev@example.com"], { cwd: dir });
  return dir;
}

const line = (out: string, check: string) => out.split("\n").find((l) => l.includes(` ${check} `)) ?? `(no line for ${check})`;

describe("drover doctor", { timeout: 180_000 }, () => {
  it("passes on the demo project", async () => {
    const project = await seedDemoProject(t.db, fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-data-")));
    const r = await drover(t.url, ["doctor", project!.repoPath], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(0);
    expect(line(r.stdout, "gate script/test")).toMatch(/^OK/);
    expect(line(r.stdout, "agent coder-1 (command)")).toMatch(/^OK +agent coder-1 \(command\) +node found/);
    expect(line(r.stdout, "database")).toMatch(/^OK .*reachable and migrated/);
    expect(line(r.stdout, "project")).toMatch(/^OK .*added to Drover as demo/);
    expect(r.stdout).toContain("Everything an agent needs is here.");
  });

  it("names where a healthy agent's CLI and credential come from, never the credential itself", async () => {
    const repo = repoWith('gates = ["script/test"]\n[[agent]]\nname = "coder"\nstage = "coder"\nruntime = "claude-code"\n', {
      "script/test": { text: "#!/bin/sh\nexit 0\n", mode: 0o755 },
    });
    const r = await drover(t.url, ["doctor", repo], {
      ...noKeys,
      PATH: `${binDir}${path.delimiter}${basePath}`,
      HOME: emptyHome(),
      ANTHROPIC_API_KEY: "sk-ant-doctor-secret",
    });
    expect(r.code, r.stdout).toBe(0);
    expect(line(r.stdout, "agent coder (claude-code)")).toMatch(/^OK .*claude 2\.1\.197 \(Claude Code\) on this host, credential: env ANTHROPIC_API_KEY$/);
    expect(r.stdout + r.stderr).not.toContain("sk-ant-doctor-secret");
    expect(line(r.stdout, "project")).toMatch(/^WARN .*not added to Drover yet/);
  });

  it("names each problem of a broken project and exits 1", async () => {
    const repo = repoWith(
      [
        'gates = ["script/test"]',
        '[[agent]]\nname = "coder"\nstage = "coder"\nruntime = "claude-code"',
        '[[agent]]\nname = "qa"\nstage = "qa"\nruntime = "codex"\nenv = { OPENAI_BASE_URL = "http://127.0.0.1:9" }',
      ].join("\n"),
      { "script/test": { text: "#!/bin/sh\nexit 0\n", mode: 0o644 } },
    );
    // Codex is on PATH (claude is not): its agent lacks only a credential.
    const codexOnly = fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-bin-"));
    fs.symlinkSync(path.join(binDir, "codex"), path.join(codexOnly, "codex"));
    const r = await drover(t.url, ["doctor", repo], { ...noKeys, PATH: `${codexOnly}${path.delimiter}${basePath}`, HOME: emptyHome() });
    expect(r.code, r.stdout).toBe(1);
    expect(line(r.stdout, "agent coder (claude-code)")).toBe(
      `FAIL  agent coder (claude-code)  claude CLI missing on this host: npm install -g @anthropic-ai/claude-code`,
    );
    expect(line(r.stdout, "agent qa (codex)")).toMatch(
      /^FAIL .*no credential on this host: export OPENAI_API_KEY for the runner, log in with `codex login` \(~\/\.codex\/auth\.json\)/,
    );
    expect(line(r.stdout, "gate script/test")).toMatch(/^FAIL .*script\/test: not executable: chmod \+x it/);
    expect(line(r.stdout, "git identity")).toMatch(/^OK .*Dev <dev@example\.com>/);
    expect(r.stdout).toContain("Something an agent needs is missing");
  });

  it("fails a missing gate and a missing roster; warns that a missing identity is the agent's own", async () => {
    const dir = gitInit(fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-bare-")));
    const r = await drover(t.url, ["doctor", dir], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(r.code).toBe(1);
    expect(line(r.stdout, "roster")).toMatch(/^FAIL .*no \.drover\/project\.toml: write a starting one with `drover init/);
    const gateless = repoWith('gates = ["script/nope"]\n[[agent]]\nname = "c"\nstage = "coder"\nruntime = "gemini"\n');
    execFileSync("git", ["config", "--unset", "user.email"], { cwd: gateless });
    const g = await drover(t.url, ["doctor", gateless], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(g.code).toBe(1);
    expect(line(g.stdout, "gate script/nope")).toMatch(/^FAIL .*script\/nope: not found/);
    expect(line(g.stdout, "git identity")).toMatch(
      /^WARN .*agents commit as "<agent> \(Drover\)" <agent@drover\.invalid>; to commit as you, run git -C .* config user\.email/,
    );
    expect(line(g.stdout, "agent c (gemini)")).toMatch(/^FAIL .*gemini CLI missing on this host: npm install -g @google\/gemini-cli/);
  });

  it("warns about a command agent naming a host file its sandbox does not show; not when sandbox = false", async () => {
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-tools-")), "agent.mjs");
    fs.writeFileSync(script, "");
    const roster = `[[agent]]\nname = "c"\nstage = "coder"\nruntime = "command"\ncommand = ["node", "${script}"]\n`;
    const r = await drover(t.url, ["doctor", repoWith(roster)], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(line(r.stdout, "agent c command")).toMatch(
      new RegExp(`^WARN .*its command names ${script}, which its sandbox does not show .*or set sandbox = false in .drover/project.toml$`),
    );
    const open = await drover(t.url, ["doctor", repoWith(`sandbox = false\n${roster}`)], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(open.stdout).not.toContain("agent c command");
  });

  it("fails the sandbox line on a host without bubblewrap, socat and tcpdump, saying how to install them; sandbox = false warns instead", async () => {
    // git and node only on the PATH: no bwrap, no socat, no unshare, no tcpdump (ip is found in /usr/sbin, looked up too).
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-bare-bin-"));
    for (const tool of ["git", "node"]) fs.symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(bare, tool));
    const roster = '[[agent]]\nname = "c"\nstage = "coder"\nruntime = "command"\ncommand = ["node", "-e", "0"]\n';
    const boxed = await drover(t.url, ["doctor", repoWith(roster)], { PATH: bare, HOME: emptyHome(), ...noKeys });
    expect(boxed.code, boxed.stdout).toBe(1);
    expect(line(boxed.stdout, "sandbox")).toMatch(
      /^FAIL .*bubblewrap \(bwrap\), socat, unshare \(util-linux\), tcpdump missing on this host.*apt-get install -y bubblewrap socat tcpdump iproute2.*or set sandbox = false/,
    );
    const open = await drover(t.url, ["doctor", repoWith(`sandbox = false\n${roster}`)], { PATH: bare, HOME: emptyHome(), ...noKeys });
    expect(line(open.stdout, "sandbox")).toMatch(/^WARN .*off \(sandbox = false\): agents, setup and gates run with the runner's full access/);
    // With all on the PATH (the other tests' PATH), the line is OK.
    const ok = await drover(t.url, ["doctor", repoWith(roster)], { PATH: basePath, HOME: emptyHome(), ...noKeys });
    expect(line(ok.stdout, "sandbox")).toMatch(/^OK .*bubblewrap, socat, tcpdump and ip found/);
  });
});
