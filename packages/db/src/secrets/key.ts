// The key that encrypts project secrets: DROVER_SECRET_KEY (32 bytes, base64 or 64 hex digits),
// else a key file in the data folder (created with 0600 permissions by the first `secret set`).
// Runners on other hosts need the same key: give them DROVER_SECRET_KEY.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { dataDir } from "../paths.ts";

const SECRET_KEY_FILE = "secret.key";

export interface SecretKey {
  key: Buffer;
  /** Short fingerprint stored with each secret, so a wrong key is named as such. */
  id: string;
  /** Where it came from, for the start message (never the key itself). */
  source: string;
}

export interface KeyLocation {
  env?: NodeJS.ProcessEnv;
  /** The data folder holding the key file (default: DROVER_DATA_DIR or .drover-data). */
  dir?: string;
}

const keyFile = (loc: KeyLocation) => path.join(loc.dir ?? dataDir(), SECRET_KEY_FILE);

function decode(text: string, from: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw badRequest(`${from} must hold a 32-byte key (base64, or 64 hex digits); make one with \`openssl rand -base64 32\``);
  return key;
}

const fingerprint = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 12);

function fromFile(file: string): SecretKey {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw badRequest(`The secret key file ${file} can be read by other users (mode ${mode.toString(8)}); run \`chmod 600 ${file}\``);
  const key = decode(fs.readFileSync(file, "utf8"), `The secret key file ${file}`);
  return { key, id: fingerprint(key), source: `key file ${file}` };
}

/** The key, or undefined when neither DROVER_SECRET_KEY nor the key file exists yet. */
export function readSecretKey(loc: KeyLocation = {}): SecretKey | undefined {
  const env = loc.env ?? process.env;
  if (env.DROVER_SECRET_KEY) {
    const key = decode(env.DROVER_SECRET_KEY, "DROVER_SECRET_KEY");
    return { key, id: fingerprint(key), source: "DROVER_SECRET_KEY" };
  }
  const file = keyFile(loc);
  return fs.existsSync(file) ? fromFile(file) : undefined;
}

/** The key, generating the key file (0600) when there is none: used by whoever stores a secret. */
export function ensureSecretKey(loc: KeyLocation = {}): SecretKey & { created: boolean } {
  const found = readSecretKey(loc);
  if (found) return { ...found, created: false };
  const file = keyFile(loc);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': two processes creating it at once keep the first key, never two.
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { ...fromFile(file), created: false };
  }
  return { ...fromFile(file), created: true };
}

/** One line for a start message: where the key comes from, or where it will be created. */
export function describeSecretKey(loc: KeyLocation = {}): string {
  try {
    const k = readSecretKey(loc);
    if (k) return `secrets are encrypted with the key from ${k.source} (fingerprint ${k.id}); back it up, secrets cannot be read without it`;
    return `no secret key yet: the first stored secret creates ${keyFile(loc)} (0600), or set DROVER_SECRET_KEY`;
  } catch (err) {
    return `secret key unusable: ${(err as Error).message}`;
  }
}
