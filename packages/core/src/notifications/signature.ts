// Webhook signatures, as Stripe does them: HMAC-SHA256 over "<timestamp>.<body>" with the webhook's
// secret, sent as `Drover-Signature: t=<unix seconds>,v1=<hex>`. A receiver recomputes it and
// refuses timestamps older than its tolerance, so a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Drover-Signature";
/** Default tolerance for a receiver checking the timestamp (seconds). */
const SIGNATURE_TOLERANCE_SECS = 300;

export function signatureHeader(secret: string, body: string, timestampSecs: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSecs}.${body}`).digest("hex");
  return `t=${timestampSecs},v1=${mac}`;
}

/** The README's recipe, as a function: true when the header signs this body with this secret, recently enough. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSecs = Math.floor(Date.now() / 1000),
  toleranceSecs = SIGNATURE_TOLERANCE_SECS,
): boolean {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSecs - t) > toleranceSecs) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const got = Buffer.from(parts.v1);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
