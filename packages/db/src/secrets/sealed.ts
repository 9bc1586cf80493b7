// A secret on its way from the web to a runner before the project it belongs to exists (the HTTPS
// token of a remote being added): encrypted with the secret key and bound to what it is for, so a
// runner request row never holds it in clear and it decrypts for nothing else. The runner that
// opens it must hold the same key (DROVER_SECRET_KEY), as it must for every project secret.
import { badRequest } from "@drover/core/errors";
import { decryptFor, encryptFor } from "./cipher.ts";
import type { SecretKey } from "./key.ts";

export interface Sealed {
  /** Fingerprint of the key it was sealed with. */
  keyId: string;
  encrypted: string;
}

export function seal(key: SecretKey, purpose: string, value: string): Sealed {
  return { keyId: key.id, encrypted: encryptFor(key, `drover-sealed:${purpose}`, value) };
}

/** The value; a missing or different key, or a value sealed for something else, is an error saying what to fix (never the value). */
export function unseal(key: SecretKey | undefined, purpose: string, sealed: Sealed, what: string): string {
  if (!key)
    throw badRequest(
      `This runner has no secret key to open ${what}: give it the web's DROVER_SECRET_KEY (fingerprint ${sealed.keyId}), or run it with the web's data folder`,
    );
  if (key.id !== sealed.keyId)
    throw badRequest(
      `${what} was sealed with the web's secret key (fingerprint ${sealed.keyId}) but this runner has another (${key.id}): give runners and the web the same DROVER_SECRET_KEY`,
    );
  const r = decryptFor(key, `drover-sealed:${purpose}`, sealed.encrypted);
  if ("error" in r) throw badRequest(`${what} does not decrypt here (altered, or sealed for another request); add the project again`);
  return r.value;
}
