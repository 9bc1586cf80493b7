// `drover secret set|list|rm <project> ...`: a project's secrets, which the roster refers to as
// "secret:<name>". A value is read from stdin (piped) or a hidden prompt, never from argv (argv
// is visible to every user of the host in `ps`), and is never printed back.
import type { Command } from "commander";
import prompts from "prompts";
import { findProject } from "@drover/db/services/index";
import { ensureSecretKey, listSecrets, removeSecret, setSecret } from "@drover/db/secrets/index";
import { badRequest } from "@drover/core/errors";
import { print, withDb } from "../with-db.ts";

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
    .action((project: string, name: string) =>
      withDb(async (db) => {
        const p = await findProject(db, project);
        const value = await readValue(name);
        const key = ensureSecretKey();
        if (key.created) process.stderr.write(`drover: created the secret key ${key.source.replace(/^key file /, "")} (0600); back it up\n`);
        await setSecret(db, key, { projectId: p.id, name, value });
        process.stdout.write(`Secret ${name} set for project ${p.name}; refer to it as "secret:${name}" in the roster\n`);
      }),
    );
  secret
    .command("list")
    .description("list a project's secrets (names and dates, never values)")
    .argument("<project>", "project name or id")
    .option("--json", "print the result as JSON")
    .action((project: string, opts: { json?: boolean }) =>
      withDb(async (db) => {
        const p = await findProject(db, project);
        const rows = await listSecrets(db, p.id);
        print(!!opts.json, rows, () =>
          rows.length ? rows.map((r) => `${r.name}\tupdated ${r.updatedAt.toISOString()}`).join("\n") : `Project ${p.name} has no secrets`,
        );
      }),
    );
  secret
    .command("rm")
    .description("remove a secret")
    .argument("<project>", "project name or id")
    .argument("<name>", "secret name")
    .action((project: string, name: string) =>
      withDb(async (db) => {
        const p = await findProject(db, project);
        await removeSecret(db, { projectId: p.id, name });
        process.stdout.write(`Secret ${name} removed from project ${p.name}\n`);
      }),
    );
}
