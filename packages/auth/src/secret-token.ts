// High-entropy one-time secrets (invitation links, access tokens): shown once, stored as SHA-256.
// A fast hash is enough here because the token is random, unlike a password.
import { createHash, randomBytes } from "node:crypto";

export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
