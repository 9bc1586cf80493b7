// The signature check exactly as the README documents it (section "Webhooks"): the tests verify
// deliveries with this copy, so the documented recipe is the one that is proven to work.
import { createHmac, timingSafeEqual } from "node:crypto";

export function verifyDroverSignature(secret: string, rawBody: string, header: string, toleranceSecs = 300): boolean {
  const { t, v1 } = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSecs) return false; // stale: a replay
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}
