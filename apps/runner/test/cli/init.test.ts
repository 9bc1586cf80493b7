// Issue 12, `drover init`: the real CLI on repositories of each kind (npm test script, cargo, pytest,
// go, make) writes a roster that parses, with the gates the repository declares and the base branch
// from HEAD; it never overwrites a roster.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gateArgv } from "@drover/core/config/gate-argv";
import { readRepoConfig } from "@drover/repo";
import { findExecutable } from "@drover/repo/find-executable";
import { drover, gitInit } from "./helpers.ts";

/** A git repository holding `files`, on branch `branch`. */
function repo(files: Record<string, string>, branch = "main"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-init-"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const root = gitInit(dir);
  execFileSync("git", ["checkout", "-q", "-B", branch], { cwd: root });
  return root;
}

// No database needed: init only writes the file.
const init = (args: string[]) => drover("postgresql://unused@127.0.0.1:9/none", ["init", ...args]);

const KINDS = [
  ["npm test script", { "package.json": JSON.stringify({ scripts: { test: "node --test" } }) }, ["npm test"], "claude-code"],
  ["cargo", { "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n' }, ["cargo test"], "codex"],
  ["pytest", { "pyproject.toml": "[tool.pytest.ini_options]\n", "tests/test_x.py": "def test_x(): pass\n" }, ["python3 -m pytest"], "gemini"],
  ["go", { "go.mod": "module example.com/x\n\ngo 1.22\n" }, ["go test ./..."], "command"],
  ["make", { Makefile: "build:\n\ttrue\n\ntest: build\n\ttrue\n" }, ["make test"], "claude-code"],
] as const;

describe("drover init", { timeout: 120_000 }, () => {
  it.each(KINDS)("%s: a roster that parses, its gates, the base branch from HEAD", async (_kind, files, gates, runtime) => {
    const root = repo(files, "trunk");
    const r = await init([root, "--runtime", runtime]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const cfg = readRepoConfig(root);
    expect(cfg.file).toBe(".drover/project.toml");
    if (!cfg.result.ok) throw new Error(cfg.result.error);
    const c = cfg.result.parsed.config;
    expect(cfg.result.parsed.warnings).toEqual([]);
    expect(c.gates).toEqual(gates);
    expect(c.base_branch).toBe("trunk");
    expect(c.agent.map((a) => [a.name, a.stage, a.runtime])).toEqual([
      ["coder-1", "coder", runtime],
      ["qa", "qa", runtime],
      ["mergemaster", "mergemaster", runtime],
    ]);
  });

  it("gates name commands that exist on this host", () => {
    // Not go: the CI host has no go toolchain (a gate whose command is missing is doctor's to name: doctor.test.ts).
    const gates = KINDS.flatMap(([, , g]) => g).filter((g) => !g.startsWith("go "));
    expect(gates).toEqual(["npm test", "cargo test", "python3 -m pytest", "make test"]);
    for (const g of gates) expect(findExecutable(gateArgv(g)[0]!, { cwd: "/" }), g).toMatchObject({ ok: true });
  });

  it("finds no gate in npm's placeholder test script, and says so in the file", async () => {
    const root = repo({ "package.json": JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }) });
    expect((await init([root])).code).toBe(0);
    const text = fs.readFileSync(path.join(root, ".drover/project.toml"), "utf8");
    expect(text).toContain("# No test command found");
    expect(text).not.toMatch(/^gates =/m);
  });

  it("never overwrites a roster, its own or a storkit tree's", async () => {
    const root = repo({ "Cargo.toml": "[package]\n" });
    expect((await init([root])).code).toBe(0);
    const file = path.join(root, ".drover/project.toml");
    fs.appendFileSync(file, "# my edit\n");
    const again = await init([root, "--runtime", "codex"]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("never overwrites");
    expect(fs.readFileSync(file, "utf8")).toContain("# my edit");
    expect(fs.readFileSync(file, "utf8")).toContain('runtime = "claude-code"');

    const storkit = repo({ ".storkit/project.toml": '[[agent]]\nname = "c"\nstage = "coder"\n' });
    const s = await init([storkit]);
    expect(s.code).toBe(4);
    expect(s.stderr).toContain(".storkit/project.toml");
    expect(fs.existsSync(path.join(storkit, ".drover"))).toBe(false);
  });

  it("refuses an unknown runtime and a path that is no repository", async () => {
    const bad = await init([repo({}), "--runtime", "copilot"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("must be one of claude-code, gemini, codex, command");
    const notRepo = await init([fs.mkdtempSync(path.join(os.tmpdir(), "drover-init-plain-"))]);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain("is not a git repository");
  });
});
