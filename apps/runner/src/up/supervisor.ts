// `drover up`, the part that owns everything: database, migrations, demo seed, runner, web.
// It runs in its own process group (see up.ts) so a terminal's Ctrl-C reaches only the foreground
// process, and shutdown happens in order: runner first (it still needs the database to flush
// events and release leases), then the web server, then PostgreSQL.
import getPort from "get-port";
import { createDb } from "@drover/db";
import { dataDir } from "@drover/db/paths";
import { readEnv } from "../env.ts";
import { ensureLocalDatabase } from "../local-db.ts";
import { createLogger } from "../log.ts";
import { seedDemoProject } from "../demo/seed.ts";
import { startRunnerProcess, startWebProcess, stopChild, waitForHttp, type Child } from "./children.ts";

export async function runSupervisor(): Promise<number> {
  const env = readEnv();
  const log = createLogger("drover-up", env.LOG_LEVEL);
  const database = await ensureLocalDatabase({ log: (l) => log.debug({ postgres: l }) });
  log.info({ embedded: database.embedded, dataDir: database.embedded ? dataDir() : undefined }, "database ready, migrations applied");

  let runner: Child | undefined;
  let web: Child | undefined;
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const shutdown = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, "stopping Drover");
    await stopChild(runner, 30_000);
    await stopChild(web, 10_000);
    await database.stop();
    log.info("stopped");
    resolveDone(code);
  };
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("disconnect", () => void shutdown(0, "the foreground process went away"));

  try {
    const db = createDb(database.url, { max: 2 });
    const seeded = await seedDemoProject(db, dataDir());
    if (seeded) log.info({ project: seeded.name, repo: seeded.repoPath }, "created the demo project");
    await db.$disconnect();

    const childEnv = { ...process.env, DATABASE_URL: database.url } as Record<string, string>;
    delete childEnv.DROVER_SUPERVISED;
    runner = startRunnerProcess(childEnv);
    const port = await getPort({ port: env.DROVER_WEB_PORT, host: env.DROVER_WEB_HOST });
    web = startWebProcess(childEnv, env.DROVER_WEB_HOST, port);
    for (const [name, child] of [["runner", runner], ["web", web]] as const) {
      void child.then((r) => {
        if (!stopping) void shutdown(1, `the ${name} process exited unexpectedly (${r.signal ?? `exit code ${r.exitCode}`})`);
      });
    }
    const url = `http://${env.DROVER_WEB_HOST}:${port}`;
    await waitForHttp(`${url}/api/trpc/projects.list`, web);
    // Plain line on stdout: the one thing a newcomer (and the start-up test) looks for.
    process.stdout.write(`\nDrover is running at ${url}  (Ctrl-C stops it)\n\n`);
  } catch (err) {
    log.error({ err }, "start-up failed");
    await shutdown(1, "start-up failed");
  }
  return done;
}
