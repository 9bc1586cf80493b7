// `drover up`, the part that owns everything: database, migrations, demo seed, runner, web.
// It runs in its own process group (see up.ts) so a terminal's Ctrl-C reaches only the foreground
// process. Each child is supervised (supervised.ts): the runner, the web server and the embedded
// postmaster are restarted when they die. Shutdown happens in order, each step bounded: runner
// first (it still needs the database to flush events and release leases), then the web server,
// then PostgreSQL.
import { describeSecretKey } from "@drover/db/secrets/key";
import os from "node:os";
import getPort from "get-port";
import { createDb } from "@drover/db";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@drover/db/embedded";
import { dataDir } from "@drover/db/paths";
import { readEnv } from "../env.ts";
import { ensureLocalDatabase } from "../local-db.ts";
import { createLogger } from "../log.ts";
import { seedDemoProject } from "../demo/seed.ts";
import { startRunnerProcess, startWebProcess, waitForHttp } from "./children.ts";
import { refuseOpenBindWithoutSignIn, setupBanner } from "./sign-in-setup.ts";
import { SupervisedChild, type Running } from "./supervised.ts";

const POSTGRES_STOP_MS = 15_000;

function postmaster(server: EmbeddedDatabase): Running {
  return {
    pid: server.pid,
    exited: server.exited.then((r) => r.signal ?? `exit code ${r.code}`),
    stop: () => server.stop(POSTGRES_STOP_MS),
  };
}

export async function runSupervisor(): Promise<number> {
  const env = readEnv();
  const log = createLogger("drover-up", env.LOG_LEVEL);
  const pgLog = (l: string) => log.debug({ postgres: l });
  const database = await ensureLocalDatabase({ log: pgLog });
  log.info(
    { embedded: database.embedded, dataDir: database.embedded ? dataDir() : undefined, postmasterPid: database.server?.pid },
    "database ready, migrations applied",
  );
  // Said plainly on stdout, where the person who ran `drover up` looks.
  if (database.server?.notice) {
    log.warn({ port: database.server.port }, database.server.notice);
    process.stdout.write(`drover up: ${database.server.notice}\n`);
  }

  const children: SupervisedChild[] = [];
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const shutdown = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log.info({ why }, "stopping Drover");
    // Runner, web, then the database: each bounded by its own timeout.
    const order = ["runner", "web", "database"];
    for (const c of [...children].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))) {
      await c.stop().catch((err) => log.warn({ child: c.name, err: (err as Error).message }, "stop failed"));
    }
    if (!children.some((c) => c.name === "database")) await database.stop().catch(() => {});
    log.info({ ms: Date.now() - started }, "stopped");
    resolveDone(code);
  };
  const giveUp = (why: string) => void shutdown(1, why);
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("disconnect", () => void shutdown(0, "the foreground process went away"));

  let pg: SupervisedChild | undefined;
  try {
    const server = database.server;
    if (stopping) return done;
    if (server) {
      // Restarted on the same port and data folder, so the runner's and the web's URL stays valid;
      // their pools connect anew.
      let first = true;
      pg = new SupervisedChild({
        name: "database",
        start: async () => {
          if (first) {
            first = false;
            return postmaster(server);
          }
          return postmaster(await startEmbeddedPostgres({ dataDir: dataDir(), port: server.port, log: pgLog }));
        },
        log,
        onGiveUp: giveUp,
      });
      children.push(pg);
      await pg.start();
    }

    const db = createDb(database.url, { max: 2 });
    await refuseOpenBindWithoutSignIn(db, env.DROVER_WEB_HOST).catch(async (err: Error) => {
      await db.$disconnect();
      process.stderr.write(`\n${err.message}\n\n`);
      throw err;
    });

    const childEnv = { ...process.env, DATABASE_URL: database.url } as Record<string, string>;
    delete childEnv.DROVER_SUPERVISED;
    // One id for every life of this runner: a restarted runner reaps what its predecessor left.
    const runnerEnv = { ...childEnv, DROVER_RUNNER_ID: process.env.DROVER_RUNNER_ID ?? `up-${os.hostname()}-${process.pid}` };
    if (stopping) return done; // Ctrl-C during start-up: start nothing more
    const port = await getPort({ port: env.DROVER_WEB_PORT, host: env.DROVER_WEB_HOST });
    if (stopping) return done;
    // The web server first: its start-up (seconds of CPU) runs while the demo seed and the runner start.
    const web = new SupervisedChild({ name: "web", start: () => startWebProcess(childEnv, env.DROVER_WEB_HOST, port), log, onGiveUp: giveUp, needs: pg });
    children.push(web);
    const webRunning = await web.start();
    const seeded = await seedDemoProject(db, dataDir());
    if (seeded) log.info({ project: seeded.name, repo: seeded.repoPath }, "created the demo project");
    if (stopping) return done;
    const runner = new SupervisedChild({ name: "runner", start: () => startRunnerProcess(runnerEnv), log, onGiveUp: giveUp, needs: pg });
    children.push(runner);
    await runner.start();
    const url = `http://${env.DROVER_WEB_HOST}:${port}`;
    await waitForHttp(`${url}/sign-in`, webRunning);
    const banner = await setupBanner(db, process.env.DROVER_PUBLIC_URL || url);
    await db.$disconnect();
    if (banner) process.stdout.write(banner);
    // Plain line on stdout: the one thing a newcomer (and the start-up test) looks for.
    process.stdout.write(`\nDrover is running at ${url}  (Ctrl-C stops it)\n\n`);
    log.info(`secrets: ${describeSecretKey()}`);
  } catch (err) {
    log.error({ err }, "start-up failed");
    await shutdown(1, "start-up failed");
  }
  return done;
}
