// Restart: the README's start command (`npx --yes pnpm@10.34.9 start`) run a second time with
// nothing changed, timed from the command to the board page answering; install and build must be
// skipped (the command says so). The full run starts a fresh clone of this commit first (install,
// build, first start: reported too); --quick restarts this checkout, with a data folder of its own.
// Between the two starts the admin is created through the printed setup link, as the person
// starting Drover does, and the second start is timed to the board itself, signed in as them.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, trackChild } from "../lib/fixture.ts";
import type { Part } from "../lib/part.ts";

interface Started {
  seconds: number;
  output: string;
  /** The admin's session cookie, when this start printed the setup link (the admin is created through it). */
  cookie?: string;
}

/** The first start's setup link used as a person would: the admin account; returns its session cookie. */
async function createAdmin(output: string): Promise<string | undefined> {
  const link = /(http:\/\/\S+\/join\/setup_\S+)/.exec(output)?.[1];
  if (!link) return undefined;
  const { origin, pathname } = new URL(link);
  const res = await fetch(`${origin}/api/join`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ token: pathname.split("/").pop(), email: "bench-admin@drover.test", name: "Bench admin", password: "bench-admin-password" }),
  });
  if (res.status !== 200) throw new Error(`creating the admin through the setup link answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/**
 * Runs the README's start command in `dir` until the board answers (signed in with `cookie`, else
 * the sign-in page it redirects to), then stops it as Ctrl-C does.
 */
async function startOnce(dir: string, dataDir: string, cookie?: string): Promise<Started> {
  const t0 = performance.now();
  const env = { ...process.env, DROVER_DATA_DIR: dataDir, DROVER_WEB_PORT: "0", LOG_LEVEL: "warn" } as Record<string, string>;
  delete env.DATABASE_URL;
  // Its own process group, like a terminal's foreground job: SIGINT to the group is Ctrl-C.
  const child = trackChild(spawn("npx", ["--yes", "pnpm@10.34.9", "start"], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  let output = "";
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /Drover is running at (http:\/\/\S+)/.exec(output);
        if (m) resolve(m[1]!);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => reject(new Error(`the start command exited (${code}) before the board was up:\n${output.slice(-3000)}`)));
      setTimeout(() => reject(new Error(`no board after 15 minutes:\n${output.slice(-3000)}`)), 900_000);
    });
    const res = await fetch(`${url}/`, { headers: cookie ? { cookie } : {}, redirect: cookie ? "manual" : "follow" });
    if (res.status !== 200) throw new Error(`the board page answered ${res.status}`);
    const html = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    if (cookie && !/Board · /.test(html)) throw new Error(`the signed-in board page is not the board:\n${html.slice(0, 500)}`);
    return { seconds, output, cookie: cookie ?? (await createAdmin(output)) };
  } finally {
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      /* gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
  }
}

const skipped = (out: string) => /skipping `pnpm install`/.test(out) && /skipping `pnpm build`/.test(out);

export const restart: Part = {
  name: "restart",
  async run({ quick, report, tmp }) {
    let dir = ROOT;
    let first: Started;
    const dataDir = path.join(tmp, "data");
    if (!quick) {
      dir = path.join(tmp, "clone");
      execFileSync("git", ["clone", "--quiet", ROOT, dir]);
      first = await startOnce(dir, dataDir);
      console.log(`  first start of a fresh clone (install, build, database, demo): ${first.seconds.toFixed(1)} s`);
    } else {
      first = await startOnce(dir, dataDir); // whatever this checkout still needs (install, build, database)
    }
    if (!first.cookie) throw new Error(`the first start printed no setup link:\n${first.output.slice(0, 3000)}`);
    const again = await startOnce(dir, dataDir, first.cookie);
    console.log(
      `  second start: ${again.seconds.toFixed(1)} s; ${skipped(again.output) ? "install and build skipped (said so)" : "install or build NOT skipped"}`,
    );
    if (!skipped(again.output)) throw new Error(`the second start did not skip install and build:\n${again.output.slice(0, 3000)}`);
    report.add({
      part: "restart",
      name: "README start command again, nothing changed → board",
      unit: "s",
      drover: again.seconds,
      ...(!quick ? { anchorName: "first start, fresh clone", anchor: first.seconds } : {}),
      goal: "≤ 10 s",
    });
    if (!quick) report.add({ part: "restart", name: "first start of a fresh clone → board", unit: "s", drover: first.seconds });
    if (dir !== ROOT) fs.rmSync(dir, { recursive: true, force: true });
  },
};
