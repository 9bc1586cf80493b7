// AES-256-GCM for one secret value. The project and name are authenticated data, so a stored value
// copied to another secret's row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { badRequest } from "@drover/core/errors";
import type { SecretKey } from "./key.ts";

const aad = (projectId: number, name: string) => Buffer.from(`drover-secret:${projectId}:${name}`);

export function encryptSecret(key: SecretKey, projectId: number, name: string, value: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key.key, iv);
  c.setAAD(aad(projectId, name));
  const data = Buffer.concat([c.update(value, "utf8"), c.final()]);
  return ["v1", iv, c.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64"))).join(":");
}

export function decryptSecret(key: SecretKey, row: { projectId: number; name: string; encrypted: string; keyId: string }): string {
  if (row.keyId !== key.id)
    throw badRequest(
      `Secret "${row.name}" was stored with another key (fingerprint ${row.keyId}, this host has ${key.id}); give this host the same DROVER_SECRET_KEY or key file, or set the secret again`,
    );
  const [v, iv, tag, data] = row.encrypted.split(":");
  if (v !== "v1" || !iv || !tag || data === undefined) throw badRequest(`Secret "${row.name}" is stored in an unknown format; set it again`);
  try {
    const d = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64"));
    d.setAAD(aad(row.projectId, row.name));
    d.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([d.update(Buffer.from(data, "base64")), d.final()]).toString("utf8");
  } catch {
    throw badRequest(`Secret "${row.name}" does not decrypt (altered or moved); set it again`);
  }
}
