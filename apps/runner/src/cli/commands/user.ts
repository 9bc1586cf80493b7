// `drover user add|list`: people who sign in to the web app. `user add` prints a one-time link to
// set the password (no password is ever made up), or takes one from stdin for scripts.
import type { Command } from "commander";
import { createInvitation, createUserWithPassword, invitationPath, listUsers } from "@drover/auth";
import { isRole, ROLES, type Role } from "@drover/core/access/roles";
import { DomainError } from "@drover/core/errors";
import { readEnv } from "../../env.ts";
import { print, withDb } from "../with-db.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function baseUrl(): string {
  const env = readEnv();
  return process.env.DROVER_PUBLIC_URL || `http://${env.DROVER_WEB_HOST}:${env.DROVER_WEB_PORT}`;
}

export function register(program: Command): void {
  const user = program.command("user").description("people who sign in to the web app");
  user
    .command("add")
    .description("add a person: prints a one-time link where they set their password")
    .argument("<email>", "their email address")
    .option("--admin", "make them an admin (same as --role admin)")
    .option("--role <role>", `one of ${ROLES.join(", ")}`, "member")
    .option("--name <name>", "their name (default: the email address)")
    .option("--password-stdin", "set the password from standard input instead of printing a link")
    .option("--json", "print the result as JSON")
    .action((email: string, opts: { admin?: boolean; role: string; name?: string; passwordStdin?: boolean; json?: boolean }) =>
      withDb(async (db) => {
        const role: Role | undefined = opts.admin ? "admin" : isRole(opts.role) ? opts.role : undefined;
        if (!role) throw new DomainError("BAD_REQUEST", `--role must be one of ${ROLES.join(", ")}`);
        if (opts.passwordStdin) {
          const { id } = await createUserWithPassword(db, { email, name: opts.name ?? email, password: await readStdin(), role });
          print(!!opts.json, { id, email: email.toLowerCase(), role }, () => `Added ${email.toLowerCase()} as ${role}; they can sign in now.`);
          return;
        }
        const { token, expiresAt } = await createInvitation(db, { email, role, invitedById: null });
        const url = `${baseUrl()}${invitationPath(token)}`;
        print(
          !!opts.json,
          { email: email.toLowerCase(), role, url, expiresAt },
          () => `Invited ${email.toLowerCase()} as ${role}. Open this one-time link to set the password (valid 7 days):\n\n  ${url}\n`,
        );
      }),
    );
  user
    .command("list")
    .description("list people and their roles")
    .option("--json", "print as JSON")
    .action((opts: { json?: boolean }) =>
      withDb(async (db) => {
        const users = (await listUsers(db)).map(({ accounts: _, ...u }) => u);
        print(!!opts.json, users, () => users.map((u) => `${u.role.padEnd(7)} ${u.email}  ${u.name}`).join("\n") || "No users yet.");
      }),
    );
}
