// copy_files reads files of the main checkout into a new worktree: a link (or a linked folder) that
// leads out of the repository must not put a host file into the agent's worktree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyFiles, SetupError } from "../../src/runner/setup.ts";

const tmp = (p: string) => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

describe("copyFiles", () => {
  it("refuses an entry that links outside the repository, and copies regular ones", () => {
    const host = tmp("drover-host-");
    fs.writeFileSync(path.join(host, "shadow"), "SECRET");
    const repo = tmp("drover-copy-repo-");
    const wt = tmp("drover-copy-wt-");
    fs.writeFileSync(path.join(repo, ".env"), "A=1\n");
    fs.symlinkSync(path.join(host, "shadow"), path.join(repo, ".env.local"));
    fs.symlinkSync(host, path.join(repo, "conf"));
    const said: string[] = [];
    copyFiles(repo, wt, [".env"], (e) => said.push("text" in e ? String(e.text) : e.kind));
    expect(fs.readFileSync(path.join(wt, ".env"), "utf8")).toBe("A=1\n");
    expect(() => copyFiles(repo, wt, [".env.local"], () => {})).toThrow(SetupError);
    expect(() => copyFiles(repo, wt, [".env.local"], () => {})).toThrow(/copy_files entry "\.env\.local" is a symbolic link leading outside/);
    expect(() => copyFiles(repo, wt, ["conf/shadow"], () => {})).toThrow(/symbolic link leading outside/);
    expect(fs.readdirSync(wt).sort()).toEqual([".env"]);
    expect(said).toEqual(["copied .env"]);
  });
});
