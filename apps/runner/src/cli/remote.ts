// The command line against a running Drover: `drover --url https://drover.example.com --token drv_…`
// (or DROVER_URL / DROVER_TOKEN) calls the HTTP API as the token's owner, with their role.
// Without --url the commands use the database directly, as the local operator.
import type { Command } from "commander";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@drover/api";

export type RemoteApi = ReturnType<typeof createTRPCClient<AppRouter>>;

export function addRemoteOptions(program: Command): void {
  program
    .option("--url <url>", "a running Drover to talk to over HTTP (env DROVER_URL); needs --token")
    .option("--token <token>", "a personal access token from the web app's account page (env DROVER_TOKEN)");
}

/** The remote API when --url (or DROVER_URL) is given; null to use the database directly. */
export function remoteApi(program: Command): RemoteApi | null {
  const opts = program.opts<{ url?: string; token?: string }>();
  const url = opts.url ?? process.env.DROVER_URL;
  if (!url) return null;
  const token = opts.token ?? process.env.DROVER_TOKEN;
  if (!token) throw new Error("--url needs a token: pass --token drv_… or set DROVER_TOKEN (create one on the web app's account page)");
  if (!/^https?:\/\//.test(url)) throw new Error(`--url must start with http:// or https:// (got "${url}")`);
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url.replace(/\/$/, "")}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });
}

const EXIT_BY_STATUS: Record<number, number> = { 400: 2, 401: 6, 403: 7, 404: 3, 409: 4, 412: 5 };

/** Runs `fn` against the remote API; a refusal becomes a message on stderr and an exit code. */
export async function withRemote(api: RemoteApi, fn: (api: RemoteApi) => Promise<void>): Promise<void> {
  try {
    await fn(api);
  } catch (err) {
    const status = err instanceof TRPCClientError ? (err.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
    const message =
      status === 401 ? "the server refused the token (unknown, revoked or expired): create a new one on the account page" : (err as Error).message;
    process.stderr.write(`drover: ${message}\n`);
    process.exit(status ? (EXIT_BY_STATUS[status] ?? 1) : 1);
  }
}

/** A project by name or id, through the API. */
export async function remoteProjectId(api: RemoteApi, ref: string): Promise<number> {
  const projects = await api.projects.list.query();
  const p = projects.find((x) => x.name === ref || String(x.id) === ref);
  if (!p) throw new Error(`no project "${ref}" (projects: ${projects.map((x) => x.name).join(", ") || "none"})`);
  return p.id;
}
