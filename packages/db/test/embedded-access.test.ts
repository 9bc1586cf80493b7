// Who can get into the embedded server. Another local user must not: the old fixed superuser
// login drover/drover let any local account rewrite an agent's command and have it run as root.
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import getPort from "get-port";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../src/embedded.ts";
import { placeCluster } from "../src/embedded/placement.ts";
import { initCluster, startServer, stopServer, writeHba } from "../src/embedded/server.ts";
import { applyMigrations } from "../src/migrate.ts";

let server: EmbeddedDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-access-"));
  server = await startEmbeddedPostgres({ dataDir, fast: true, preferredPort: 0 });
});

afterAll(async () => {
  await server?.stop();
  if (server?.clusterDir && server.clusterDir !== path.join(dataDir, "pg")) fs.rmSync(server.clusterDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function loginError(user: string, password: string): Promise<string | undefined> {
  const client = new pg.Client({ host: "127.0.0.1", port: server.port, user, password, database: "postgres" });
  try {
    await client.connect();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe("embedded PostgreSQL logins", () => {
  it("refuses the old fixed login drover/drover", async () => {
    // TCP password checks do not depend on the OS user, so they run from this process.
    for (const user of ["drover", "drover_admin", "drover_app", "postgres"]) {
      expect(await loginError(user, "drover"), user).toBe("28P01"); // invalid_password
    }
  });

  it("gives the application a role that is not a superuser and owns its database", async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const me = await client.query<{ rolsuper: boolean; rolcreaterole: boolean; owner: string; user: string }>(
        "SELECT r.rolsuper, r.rolcreaterole, pg_get_userbyid(d.datdba) AS owner, current_user AS user FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()",
      );
      expect(me.rows[0]).toMatchObject({ rolsuper: false, rolcreaterole: false });
      expect(me.rows[0]!.owner).toBe(me.rows[0]!.user);
      // What a superuser could do to reach the OS is refused.
      await expect(client.query("COPY (SELECT 1) TO PROGRAM 'id'")).rejects.toThrow(/permission denied|must be superuser|pg_execute_server_program/);
    } finally {
      await client.end();
    }
  });

  it("keeps the random passwords in a file only Drover's user can read, and never the old one", () => {
    const file = path.join(dataDir, "credentials.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, "utf8");
    expect(new URL(server.url).password).not.toBe("drover");
    expect(text).toContain(new URL(server.url).password);
  });
});

describe("a cluster made with the old fixed login", () => {
  it("is upgraded on start: its password replaced, its tables handed to the app role, its rows kept", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-legacy-"));
    const place = placeCluster(dir);
    const log = () => {};
    try {
      // What earlier versions made: bootstrap superuser drover/drover owning the migrated database.
      await initCluster({ ...place, user: "drover", password: "drover", log });
      writeHba(place.pgDir, place.ids);
      const port = await getPort();
      const old = await startServer({ ...place, port, flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], log });
      const oldUrl = `postgresql://drover:drover@127.0.0.1:${port}`;
      const c = new pg.Client(`${oldUrl}/postgres`);
      await c.connect();
      await c.query("CREATE DATABASE drover");
      await c.end();
      await applyMigrations(`${oldUrl}/drover`);
      const d = new pg.Client(`${oldUrl}/drover`);
      await d.connect();
      await d.query("INSERT INTO projects (name, repo_path) VALUES ('old', '/old')");
      await d.end();
      await stopServer(old);

      const db = await startEmbeddedPostgres({ dataDir: dir, fast: true, preferredPort: 0 });
      try {
        const app = new pg.Client(db.url);
        await app.connect();
        const me = await app.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        expect(me.rows[0]!.rolsuper).toBe(false);
        await app.query("INSERT INTO projects (name, repo_path) VALUES ('new', '/new')"); // tables and sequences are its own
        const names = await app.query<{ name: string }>("SELECT name FROM projects ORDER BY id");
        await app.end();
        expect(names.rows.map((r) => r.name)).toEqual(["old", "new"]);
        expect(await applyMigrations(db.url)).toEqual([]);
        const again = new pg.Client({ host: "127.0.0.1", port: db.port, user: "drover", password: "drover", database: "postgres" });
        await expect(again.connect()).rejects.toMatchObject({ code: "28P01" });
        await again.end().catch(() => {});
      } finally {
        await db.stop();
      }
    } finally {
      if (!place.pgDir.startsWith(dir)) fs.rmSync(place.pgDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A second OS user, made for this test, tries everything it can from its own account: read the
// password file, use a Unix socket (where peer/trust logins would apply), log in over TCP without
// the password. It uses only Node's built-ins (it may not be able to reach this repository's
// node_modules): a raw startup message shows whether the server lets it in without a password,
// and answers a cleartext or MD5 password request with the old fixed password.
const ATTACK = String.raw`
const net = require("node:net"), fs = require("node:fs"), crypto = require("node:crypto");
const [port, dataDir] = process.argv.slice(1);
const out = {};
try { fs.readFileSync(dataDir + "/credentials.json"); out.readCredentials = "read"; } catch (e) { out.readCredentials = e.code; }
function attempt(opts, user) {
  return new Promise((resolve) => {
    const s = net.connect(opts);
    let buf = Buffer.alloc(0);
    const done = (r) => { s.destroy(); resolve(r); };
    s.setTimeout(5000, () => done("timeout"));
    s.on("error", (e) => done(e.code));
    s.on("connect", () => {
      const params = Buffer.from("user\0" + user + "\0database\0postgres\0\0");
      const head = Buffer.alloc(8); head.writeInt32BE(8 + params.length); head.writeInt32BE(196608, 4);
      s.write(Buffer.concat([head, params]));
    });
    s.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
        const type = String.fromCharCode(buf[0]), len = buf.readInt32BE(1), body = buf.subarray(5, 1 + len);
        buf = buf.subarray(1 + len);
        if (type === "E") return done("refused");
        if (type !== "R") continue;
        const code = body.readInt32BE(0);
        if (code === 0) return done("IN");
        let pw;
        if (code === 3) pw = "drover";
        else if (code === 5) { const inner = crypto.createHash("md5").update("drover" + user).digest("hex"); pw = "md5" + crypto.createHash("md5").update(inner).update(body.subarray(4, 8)).digest("hex"); }
        else return done("password required (" + code + ")");
        const p = Buffer.from(pw + "\0"), h = Buffer.alloc(5); h.write("p"); h.writeInt32BE(4 + p.length, 1);
        s.write(Buffer.concat([h, p]));
      }
    });
  });
}
(async () => {
  for (const user of ["drover", "drover_admin", "drover_app", "postgres"]) {
    out["tcp " + user] = await attempt({ host: "127.0.0.1", port: Number(port) }, user);
    for (const dir of ["/tmp", "/var/run/postgresql", dataDir + "/pg"]) out["socket " + dir + " " + user] = await attempt({ path: dir + "/.s.PGSQL." + port }, user);
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

describe.skipIf(process.getuid?.() !== 0)("another local user (made by this test; needs root)", () => {
  const name = `drv${randomBytes(4).toString("hex")}`;
  let ids: { uid: number; gid: number };

  beforeAll(() => {
    execFileSync("useradd", ["--no-create-home", "--user-group", name], { stdio: "ignore" });
    ids = { uid: Number(execFileSync("id", ["-u", name], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", name], { encoding: "utf8" })) };
  });
  afterAll(() => {
    execFileSync("userdel", [name], { stdio: "ignore" });
  });

  it("cannot read the passwords, nor log in over TCP or a Unix socket without them", async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["-e", ATTACK, String(server.port), dataDir],
        { ...ids, cwd: "/", env: { PATH: process.env.PATH }, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const result = JSON.parse(out) as Record<string, string>;
    for (const [what, r] of Object.entries(result)) {
      if (what.startsWith("tcp ")) expect(r, what).toBe("password required (10)"); // SCRAM, whose password it does not have
      if (what.startsWith("socket ")) expect(["ENOENT", "ECONNREFUSED", "EACCES"], `${what}: ${r}`).toContain(r);
    }
    expect(result.readCredentials).toBe("EACCES");
  });
});
