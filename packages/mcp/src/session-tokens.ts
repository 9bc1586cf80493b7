// One bearer token per running session: random, kept only as its SHA-256 (a leaked memory dump or
// log line holds no usable token), valid from the spawn until the session's agent exits.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const hash = (token: string) => createHash("sha256").update(token).digest();

export class SessionTokens {
  private readonly bySession = new Map<number, Buffer>();

  /** A new token for a session (replacing its previous one, as a resumed run gets a fresh one). */
  issue(sessionId: number): string {
    const token = randomBytes(32).toString("base64url");
    this.bySession.set(sessionId, hash(token));
    return token;
  }

  /** The session's token stops working at once. */
  revoke(sessionId: number): void {
    this.bySession.delete(sessionId);
  }

  /** The session a token belongs to, or undefined for an unknown or revoked token. */
  sessionFor(token: string): number | undefined {
    const h = hash(token);
    for (const [id, stored] of this.bySession) if (timingSafeEqual(stored, h)) return id;
    return undefined;
  }
}
