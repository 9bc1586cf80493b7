// AES-256-GCM for one secret value. What the value is for (a project's secret by project and name,
// or a sealed value by its purpose) is authenticated data, so a stored value copied elsewhere does
// not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { badRequest } from "@drover/core/errors";
import type { SecretKey } from "./key.ts";

const aad = (projectId: number, name: string) => `drover-secret:${projectId}:${name}`;

/** `value` encrypted for `boundTo` (the authenticated data), as "v1:iv:tag:data". */
export function encryptFor(key: SecretKey, boundTo: string, value: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key.key, iv);
  c.setAAD(Buffer.from(boundTo));
  const data = Buffer.concat([c.update(value, "utf8"), c.final()]);
  return ["v1", iv, c.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64"))).join(":");
}

/** The value, "format" when `encrypted` is not ours, "altered" when it does not decrypt for `boundTo` with `key`. */
export function decryptFor(key: SecretKey, boundTo: string, encrypted: string): { value: string } | { error: "format" | "altered" } {
  const [v, iv, tag, data] = encrypted.split(":");
  if (v !== "v1" || !iv || !tag || data === undefined) return { error: "format" };
  try {
    const d = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64"));
    d.setAAD(Buffer.from(boundTo));
    d.setAuthTag(Buffer.from(tag, "base64"));
    return { value: Buffer.concat([d.update(Buffer.from(data, "base64")), d.final()]).toString("utf8") };
  } catch {
    return { error: "altered" };
  }
}

export function encryptSecret(key: SecretKey, projectId: number, name: string, value: string): string {
  return encryptFor(key, aad(projectId, name), value);
}

export function decryptSecret(key: SecretKey, row: { projectId: number; name: string; encrypted: string; keyId: string }): string {
  if (row.keyId !== key.id)
    throw badRequest(
      `Secret "${row.name}" was stored with another key (fingerprint ${row.keyId}, this host has ${key.id}); give this host the same DROVER_SECRET_KEY or key file, or set the secret again`,
    );
  const r = decryptFor(key, aad(row.projectId, row.name), row.encrypted);
  if ("value" in r) return r.value;
  if (r.error === "format") throw badRequest(`Secret "${row.name}" is stored in an unknown format; set it again`);
  throw badRequest(`Secret "${row.name}" does not decrypt (altered or moved); set it again`);
}
