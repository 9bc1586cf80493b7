// `drover init` and the web's add-project flow: detect a repository's test commands, offer core's
// starting roster for them, and write it as .drover/project.toml, never over an existing roster and
// never through a symbolic link.
import fs from "node:fs";
import path from "node:path";
import { starterRoster } from "@drover/core/config/starter-roster";
import type { RuntimeName } from "@drover/core/config/types";
import { badRequest, conflict } from "@drover/core/errors";
import { containedPath } from "./contained-path.ts";
import { readRepoConfig } from "./repo-config.ts";
import { readRepoFile } from "./repo-file.ts";
import { validateRepo } from "./validate-repo.ts";

const ROSTER = ".drover/project.toml";
/** What `npm init` writes when there are no tests: not a gate. */
const NPM_PLACEHOLDER = /no test specified/;

const read = (root: string, rel: string) => {
  try {
    return readRepoFile(root, rel, { what: "build file" });
  } catch {
    return undefined; // a link out of the repository or an odd file: not evidence of anything
  }
};
const has = (root: string, rel: string) => read(root, rel) !== undefined;

/** The test commands a repository declares: package.json's test script, cargo, pytest, go, make test. */
function detectGates(root: string): string[] {
  const gates: string[] = [];
  const pkg = read(root, "package.json");
  if (pkg) {
    let test: unknown;
    try {
      test = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
    } catch {
      test = undefined;
    }
    if (typeof test === "string" && test.trim() && !NPM_PLACEHOLDER.test(test)) {
      gates.push(has(root, "pnpm-lock.yaml") ? "pnpm test" : has(root, "yarn.lock") ? "yarn test" : "npm test");
    }
  }
  if (has(root, "Cargo.toml")) gates.push("cargo test");
  const pyproject = read(root, "pyproject.toml") ?? "";
  const setupCfg = read(root, "setup.cfg") ?? "";
  if (has(root, "pytest.ini") || has(root, "conftest.py") || pyproject.includes("[tool.pytest") || setupCfg.includes("[tool:pytest]") || hasPythonTests(root)) {
    gates.push("python3 -m pytest");
  }
  if (has(root, "go.mod")) gates.push("go test ./...");
  const makefile = read(root, "Makefile") ?? read(root, "makefile") ?? read(root, "GNUmakefile");
  if (makefile && /^test\s*:/m.test(makefile)) gates.push("make test");
  return gates;
}

function hasPythonTests(root: string): boolean {
  const dir = path.join(root, "tests");
  if (!containedPath(root, dir)) return false;
  try {
    return fs.readdirSync(dir).some((f) => /^test_.*\.py$|_test\.py$/.test(f));
  } catch {
    return false;
  }
}

export interface StarterRosterPlan {
  root: string;
  file: string;
  text: string;
  gates: string[];
  baseBranch: string | null;
}

/** The roster `init` would write; refused when the repository already has one (.drover or a storkit tree). */
export async function planStarterRoster(repoPath: string, runtime: RuntimeName): Promise<StarterRosterPlan> {
  const { root, headBranch } = await validateRepo(repoPath);
  const existing = readRepoConfig(root);
  if (existing.file)
    throw conflict(`${root} already has a roster (${existing.file}); drover init never overwrites one: edit it, or delete it first to start over`);
  const gates = detectGates(root);
  return { root, file: ROSTER, text: starterRoster({ runtime, gates, baseBranch: headBranch }), gates, baseBranch: headBranch };
}

/** Writes the plan's text as .drover/project.toml: created, never replaced (O_EXCL), never through a link. */
export function writeStarterRoster(plan: Pick<StarterRosterPlan, "root" | "text">): string {
  const dir = path.join(plan.root, ".drover");
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw badRequest(`${dir} is not a folder (a symbolic link or a file); make it a folder inside the repository`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "project.toml");
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw conflict(`${file} already exists; drover init never overwrites a roster`);
    throw e;
  }
  try {
    fs.writeSync(fd, plan.text);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
