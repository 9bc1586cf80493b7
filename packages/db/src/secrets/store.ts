// Project secrets: set, list (names and dates only), remove, and, for the runner only, resolve to
// values. A value is never returned by anything the web or CLI calls, and never logged.
import { z } from "zod";
import type { Actor } from "@drover/core/audit/actor";
import { SECRET_NAME, SECRET_NAME_RULE } from "@drover/core/config/secret-refs";
import { badRequest, notFound } from "@drover/core/errors";
import type { DbOrTx } from "../services/tx.ts";
import { logProjectEvent } from "../services/events.ts";
import { idSchema, parseInput, textSchema } from "../services/validate.ts";
import { decryptSecret, encryptSecret } from "./cipher.ts";
import type { SecretKey } from "./key.ts";

const nameSchema = textSchema.regex(SECRET_NAME, { error: `Secret name: ${SECRET_NAME_RULE}` });
const setInput = z.object({
  projectId: idSchema,
  name: nameSchema,
  value: textSchema.min(1, { error: "Secret value must not be empty" }).max(65_536, { error: "Secret value must be at most 64 KiB" }),
});
const nameInput = z.object({ projectId: idSchema, name: nameSchema });

export interface SecretInfo {
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const INFO = { name: true, createdAt: true, updatedAt: true } as const;

/** Stores (or replaces) a secret. Returns what may be shown: its name and dates. */
export async function setSecret(db: DbOrTx, key: SecretKey, input: { projectId: number; name: string; value: string }, actor: Actor): Promise<SecretInfo> {
  const { projectId, name, value } = parseInput(setInput, input);
  const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true } });
  if (!project) throw notFound(`No project #${projectId}`);
  const data = { encrypted: encryptSecret(key, projectId, name, value), keyId: key.id };
  const row = await db.projectSecret.upsert({
    where: { projectId_name: { projectId, name } },
    create: { projectId, name, ...data },
    update: data,
    select: INFO,
  });
  await logProjectEvent(db, { projectId, kind: "secret_set", message: `Secret ${name} set`, actor });
  return row;
}

export async function listSecrets(db: DbOrTx, projectId: number): Promise<SecretInfo[]> {
  return db.projectSecret.findMany({ where: { projectId: parseInput(idSchema, projectId) }, orderBy: { name: "asc" }, select: INFO });
}

export async function secretNames(db: DbOrTx, projectId: number): Promise<Set<string>> {
  return new Set((await listSecrets(db, projectId)).map((s) => s.name));
}

export async function removeSecret(db: DbOrTx, input: { projectId: number; name: string }, actor: Actor): Promise<void> {
  const { projectId, name } = parseInput(nameInput, input);
  const { count } = await db.projectSecret.deleteMany({ where: { projectId, name } });
  if (!count) throw notFound(`Project #${projectId} has no secret "${name}"`);
  await logProjectEvent(db, { projectId, kind: "secret_removed", message: `Secret ${name} removed`, actor });
}

/** The values of `names` (runner only). A missing secret, or no key, is an error that says what to do. */
export async function resolveSecrets(db: DbOrTx, key: SecretKey | undefined, projectId: number, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  const rows = await db.projectSecret.findMany({ where: { projectId, name: { in: [...new Set(names)] } } });
  const missing = [...new Set(names)].filter((n) => !rows.some((r) => r.name === n));
  if (missing.length)
    throw badRequest(
      `The roster refers to secret${missing.length > 1 ? "s" : ""} ${missing.map((n) => `"${n}"`).join(", ")} that project #${projectId} does not have; set ${missing.length > 1 ? "them" : "it"} with \`drover secret set\` or on the project's Secrets page`,
    );
  if (!key)
    throw badRequest(
      "The roster refers to Drover secrets but this host has no secret key: set DROVER_SECRET_KEY (the key the secrets were stored with) or give it the data folder's secret.key",
    );
  for (const r of rows) out.set(r.name, decryptSecret(key, r));
  return out;
}
