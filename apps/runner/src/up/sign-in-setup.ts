// `drover up` and sign-in: refuses to listen beyond this machine while nobody can sign in, and
// prints the one-time setup link while there is no user yet.
import type { Db } from "@drover/db";

// @drover/auth is loaded only when it is needed (nobody can sign in yet): it brings the auth
// library's hundreds of modules, seconds of CPU on every `drover up` start that has users.
const auth = () => import("@drover/auth");

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Throws (with how to fix it) when `host` is not loopback and no one can sign in yet. */
export async function refuseOpenBindWithoutSignIn(db: Db, host: string): Promise<void> {
  if (isLoopback(host) || (await (await auth()).countUsers(db)) > 0) return;
  throw new Error(
    `Refusing to listen on ${host}: sign-in is not set up yet, so anyone who can reach this port could drive agents on this host.\n` +
      "Create the first admin, then start again:\n" +
      "  pnpm drover user add --admin you@example.com      (prints a one-time link to set the password)\n" +
      "or start once on 127.0.0.1 (unset DROVER_WEB_HOST) and open the setup link it prints.\n" +
      "Behind a reverse proxy also set DROVER_PUBLIC_URL=https://drover.example.com.",
  );
}

/** The setup link's banner while there are no users; null once someone can sign in. */
export async function setupBanner(db: Db, baseUrl: string): Promise<string | null> {
  // The same question countUsers asks, without loading the auth library for it.
  if ((await db.user.count()) > 0) return null;
  const { createSetupLink, invitationPath } = await auth();
  const link = await createSetupLink(db);
  if (!link) return null;
  const url = `${baseUrl.replace(/\/$/, "")}${invitationPath(link.token)}`;
  const rule = "=".repeat(Math.min(100, url.length + 4));
  return `\n${rule}\n  First start: nobody can sign in yet. Open this one-time link to create the admin account:\n\n  ${url}\n\n  (valid 24 hours; or run \`pnpm drover user add --admin you@example.com\`)\n${rule}\n`;
}
