// Issue 10 item 7: paths derived from an agent's name stay under their root even when a bad name
// reached the database (rows written before the roster rule, or by hand).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getRuntimeAdapter } from "@drover/core/runtimes/index";
import { containedPath } from "@drover/repo/contained-path";
import { containedIn, runtimeStateDir } from "../../src/runner/state-paths.ts";
import { WorktreeError } from "../../src/runner/worktree.ts";

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-state-")));

function escapeError(fn: () => unknown): WorktreeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorktreeError);
    expect((e as WorktreeError).reason).toBe("path_escape");
    return e as WorktreeError;
  }
  throw new Error("expected a path_escape refusal");
}

describe("runtime-state paths", () => {
  it("refuses a state folder an agent name would carry outside the state root", () => {
    const root = path.join(tmp(), "runtime-state");
    const e = escapeError(() => runtimeStateDir(root, 7, "x/../../../../tmp/escape"));
    expect(e.message).toMatch(/Agent name "x\/\.\.\/\.\.\/\.\.\/\.\.\/tmp\/escape" makes the runtime-state folder .* leave .*runtime-state; rename the agent/);
    escapeError(() => runtimeStateDir(root, 7, "../../../x"));
    // Ordinary names give <root>/<id>-<name>.
    expect(runtimeStateDir(root, 7, "coder-1")).toBe(path.join(fs.realpathSync(path.dirname(root)), "runtime-state", "7-coder-1"));
  });

  it("refuses the Gemini settings file of a bad name, and a settings file written through a link", () => {
    const sessionDir = path.join(tmp(), "sessions", "1");
    const stateDir = path.join(path.dirname(path.dirname(sessionDir)), "runtime-state", "7-ok");
    // What the Gemini adapter would write for a state folder derived without the check above.
    const plan = getRuntimeAdapter("gemini").plan({
      agent: { name: "x", runtime: "gemini" },
      prompt: "p",
      cwd: "/tmp",
      sessionDir,
      stateDir: path.join(stateDir, "../../../../tmp/escape"),
      vars: {},
    });
    const [file] = Object.keys(plan.files ?? {});
    expect(file).toMatch(/settings\.json$/);
    escapeError(() => containedIn([stateDir, sessionDir], file!));
    // A link planted inside the state folder cannot redirect the write either.
    const outside = tmp();
    fs.mkdirSync(path.join(stateDir, "gemini"), { recursive: true });
    fs.symlinkSync(outside, path.join(stateDir, "gemini", ".gemini"));
    escapeError(() => containedIn([stateDir, sessionDir], path.join(stateDir, "gemini", ".gemini", "settings.json")));
    expect(containedIn([stateDir, sessionDir], path.join(sessionDir, "home", "x.json"))).toBe(path.join(sessionDir, "home", "x.json"));
  });
});

describe("containedPath", () => {
  it("is strict about prefixes, the root itself, dangling links and links inside", () => {
    const base = tmp();
    const root = path.join(base, "root");
    fs.mkdirSync(root);
    expect(containedPath(root, path.join(base, "root-2", "f"))).toBeNull();
    expect(containedPath(root, root)).toBeNull();
    expect(containedPath(root, path.join(root, "..", "x"))).toBeNull();
    expect(containedPath(root, path.join(root, "..foo"))).toBe(path.join(root, "..foo"));
    fs.symlinkSync(path.join(base, "nowhere"), path.join(root, "dangling"));
    expect(containedPath(root, path.join(root, "dangling"))).toBeNull();
    fs.mkdirSync(path.join(root, "a"));
    fs.symlinkSync("a", path.join(root, "b"));
    expect(containedPath(root, path.join(root, "b", "new", "file"))).toBe(path.join(root, "a", "new", "file"));
  });
});
