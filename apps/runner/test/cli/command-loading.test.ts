// Every `pnpm start` runs `drover up` and `drover runner`: a named command loads its own module
// only (not every command's imports), and `up` loads the auth library only when nobody can sign in.
// Help without a command still lists every command.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.ts";

const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-cli-loading-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// A module hook that writes down every module the process loads.
const hooks = path.join(dir, "hooks.mjs");
fs.writeFileSync(
  hooks,
  `import fs from "node:fs";\nexport async function load(url, ctx, next) { fs.appendFileSync(process.env.LOADED_LOG, url + "\\n"); return next(url, ctx); }\n`,
);
const register = path.join(dir, "register.mjs");
fs.writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);

/** Runs the CLI with `args`; returns its stdout and the modules it loaded. */
async function run(args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const log = path.join(dir, `${args.join("-")}.log`);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", register, "--import", "tsx", main, ...args],
      { cwd: repoRoot, env: { ...process.env, LOADED_LOG: log }, timeout: 60_000 },
      (err, out) => (err ? reject(err) : resolve(out)),
    ),
  );
  return { stdout, loaded: fs.readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

const commandModules = (loaded: string[]) =>
  loaded.filter((u) => u.includes("/apps/runner/src/cli/commands/")).map((u) => path.basename(new URL(u).pathname, ".ts"));

describe("the drover CLI's start-up", () => {
  it("`drover up` and `drover runner` load their own command only, and not the auth library", { timeout: 120_000 }, async () => {
    const names = ["up", "runner"];
    const runs = await Promise.all(names.map((name) => run([name, "--help"])));
    for (const [i, { stdout, loaded }] of runs.entries()) {
      expect(stdout).toMatch(new RegExp(`^Usage: drover ${names[i]}\\b`, "m"));
      expect(commandModules(loaded)).toEqual([names[i]]);
      expect(loaded.filter((u) => /better-auth|kysely/.test(u))).toEqual([]);
    }
  });

  it("help without a command lists every command", { timeout: 120_000 }, async () => {
    const { stdout, loaded } = await run(["--help"]);
    const files = fs.readdirSync(path.join(repoRoot, "apps/runner/src/cli/commands")).map((f) => path.basename(f, ".ts"));
    expect(commandModules(loaded).sort()).toEqual(files.sort());
    for (const f of files) expect(stdout).toMatch(new RegExp(`^  ${f}\\b`, "m"));
  });
});
