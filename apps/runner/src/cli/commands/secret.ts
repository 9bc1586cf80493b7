// `drover secret set|list|rm <project> ...`: a project's secrets, which the roster refers to as
// "secret:<name>". A value is read from stdin (piped) or a hidden prompt, never from argv (argv
// is visible to every user of the host in `ps`), and is never printed back.
import type { Command } from "commander";
import prompts from "prompts";
import { findProject } from "@drover/db/services/index";
import { ensureSecretKey, listSecrets, removeSecret, setSecret } from "@drover/db/secrets/index";
import { badRequest } from "@drover/core/errors";
import { print, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

async function readValue(name: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    // `echo value | drover secret set` adds a newline that is not part of the secret.
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  const { value } = await prompts({ type: "password", name: "value", message: `Value of secret ${name}` }, { onCancel: () => true });
  if (typeof value !== "string") throw badRequest("No value given; nothing stored");
  return value;
}

export function register(program: Command): void {
  const secret = program.command("secret").description("a project's secrets (API keys the roster refers to as secret:<name>)");
  secret
    .command("set")
    .description("store a secret (value from stdin or a hidden prompt; never as an argument)")
    .argument("<project>", "project name or id")
    .argument("<name>", "secret name")
    .action((project: string, name: string) => {
      const api = remoteApi(program);
      if (api) {
        return withRemote(api, async (api) => {
          const projectId = await remoteProjectId(api, project);
          const r = await api.secrets.set.mutate({ projectId, name, value: await readValue(name) });
          if (r.keyCreated) process.stderr.write(`drover: the server created its secret key (${r.keyCreated}); back it up\n`);
          process.stdout.write(`Secret ${name} set for project ${project}; refer to it as "secret:${name}" in the roster\n`);
        });
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        const value = await readValue(name);
        const key = ensureSecretKey();
        if (key.created) process.stderr.write(`drover: created the secret key ${key.source.replace(/^key file /, "")} (0600); back it up\n`);
        await setSecret(db, key, { projectId: p.id, name, value }, actor);
        process.stdout.write(`Secret ${name} set for project ${p.name}; refer to it as "secret:${name}" in the roster\n`);
      });
    });
  secret
    .command("list")
    .description("list a project's secrets (names and dates, never values)")
    .argument("<project>", "project name or id")
    .option("--json", "print the result as JSON")
    .action((project: string, opts: { json?: boolean }) => {
      const show = (rows: Array<{ name: string; updatedAt: Date }>, projectName: string) =>
        print(!!opts.json, rows, () =>
          rows.length ? rows.map((r) => `${r.name}\tupdated ${r.updatedAt.toISOString()}`).join("\n") : `Project ${projectName} has no secrets`,
        );
      const api = remoteApi(program);
      if (api) return withRemote(api, async (api) => show(await api.secrets.list.query({ projectId: await remoteProjectId(api, project) }), project));
      return withDb(async (db) => {
        const p = await findProject(db, project);
        show(await listSecrets(db, p.id), p.name);
      });
    });
  secret
    .command("rm")
    .description("remove a secret")
    .argument("<project>", "project name or id")
    .argument("<name>", "secret name")
    .action((project: string, name: string) => {
      const api = remoteApi(program);
      if (api) {
        return withRemote(api, async (api) => {
          await api.secrets.remove.mutate({ projectId: await remoteProjectId(api, project), name });
          process.stdout.write(`Secret ${name} removed from project ${project}\n`);
        });
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        await removeSecret(db, { projectId: p.id, name }, actor);
        process.stdout.write(`Secret ${name} removed from project ${p.name}\n`);
      });
    });
}
