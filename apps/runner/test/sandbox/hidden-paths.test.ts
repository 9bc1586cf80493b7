// Which host paths a command names that its sandbox would not show: the check made before a
// sandboxed run starts (a script outside the repository would fail inside as "not found").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { HiddenPathError, hiddenPaths, type Mounts } from "../../src/sandbox/bubblewrap.ts";

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const mounts = (m: Partial<Mounts>): Mounts => ({ readOnly: [], readWrite: [], empty: [], files: [], ...m });

it("names an existing host path outside every mount, and only that", () => {
  const worktree = tmp("drover-hp-wt-");
  const tools = tmp("drover-hp-tools-");
  fs.writeFileSync(path.join(tools, "agent.mjs"), "");
  fs.writeFileSync(path.join(worktree, "agent.mjs"), "");
  const script = path.join(tools, "agent.mjs");
  const argv = ["node", script, path.join(worktree, "agent.mjs"), "/usr/bin/env", "/etc/hosts", "/dev/null", "relative.mjs", "--flag"];
  expect(hiddenPaths(argv, mounts({ readWrite: [worktree] }))).toEqual([script]);
  // Shown read-only (a program mount), it is visible.
  expect(hiddenPaths(argv, mounts({ readWrite: [worktree], readOnly: [tools] }))).toEqual([]);
});

it("ignores paths that do not exist on the host, /etc files it does not show count as hidden, a prefix is not a parent", () => {
  const dir = tmp("drover-hp-");
  fs.mkdirSync(`${dir}-sibling`);
  expect(hiddenPaths(["x", path.join(dir, "not-there"), "/etc/shadow", `${dir}-sibling`], mounts({ readWrite: [dir] }))).toEqual([
    "/etc/shadow",
    `${dir}-sibling`,
  ]);
});

it("a path reached through a link to a mount is visible at the mount's real path", () => {
  const real = tmp("drover-hp-real-");
  fs.writeFileSync(path.join(real, "f"), "");
  const link = `${tmp("drover-hp-link-")}/wt`;
  fs.symlinkSync(real, link);
  // Mounted by its link name: bindReal shows it at its real path too.
  expect(hiddenPaths(["x", path.join(real, "f"), path.join(link, "f")], mounts({ readWrite: [link] }))).toEqual([]);
});

it("the error says what to do", () => {
  expect(new HiddenPathError(["/home/me/tools/agent.mjs"], "agent coder-1's command").message).toBe(
    "agent coder-1's command names /home/me/tools/agent.mjs, which its sandbox does not show (a sandboxed run sees its worktree, not the host): put the file in the repository and name it relative to the worktree, or set sandbox = false in .drover/project.toml",
  );
});
