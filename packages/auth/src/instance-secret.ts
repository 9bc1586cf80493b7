// The secret that signs session cookies: DROVER_AUTH_SECRET, else one Drover made on first use and
// keeps in the database, so every web process of one install shares it without configuration.
import { randomBytes } from "node:crypto";
import type { Db } from "@drover/db";

export async function authSecret(db: Db, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  const made = randomBytes(32).toString("hex");
  // Insert-or-read in one statement: two processes starting together agree on one secret.
  const row = await db.instanceSecret.upsert({ where: { name: "auth" }, create: { name: "auth", value: made }, update: {} });
  return row.value;
}
