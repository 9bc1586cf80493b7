"use client";
// Calls a domain mutation by its path ("stories.move", "pipeline.approve" ...). The domain
// routers are owned by other modules; calling by path keeps the UI independent of their
// registration order, and the server's own error (rule violation, unknown procedure) reaches the user.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useTRPC, useTRPCClient } from "./trpc";

export type ActionPath =
  | "projects.add"
  | "projects.import"
  | "projects.reload"
  | "stories.create"
  | "stories.update"
  | "stories.move"
  | "stories.reorder"
  | "stories.block"
  | "stories.unblock"
  | "sessions.start"
  | "sessions.stop"
  | "sessions.resume"
  | "pipeline.approve"
  | "pipeline.reject"
  | "pipeline.retry";

/**
 * Where each action may live, in order of preference: the domain routers are written in
 * parallel with this UI, so an action tries its known homes and uses the first that exists.
 */
const HOMES: Partial<Record<ActionPath, string[]>> = {
  "sessions.start": ["agents.start"],
  "sessions.stop": ["agents.stop"],
  // A resume is a start with resumeOfSessionId, context and fresh (same rules).
  "sessions.resume": ["agents.start"],
  "projects.import": ["imports.storkit"],
};

const missing = (err: unknown) => err instanceof TRPCClientError && /No procedure found|No "mutation"-procedure/i.test(err.message);

export async function callAction(client: unknown, path: ActionPath, input: unknown): Promise<unknown> {
  const homes = HOMES[path] ?? [path];
  let last: unknown;
  for (const home of homes) {
    let node = client as Record<string, unknown>;
    for (const part of home.split(".")) node = node[part] as Record<string, unknown>;
    try {
      return await (node as unknown as { mutate(i: unknown): Promise<unknown> }).mutate(input);
    } catch (err) {
      if (!missing(err)) throw err;
      last = err;
    }
  }
  throw last;
}

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    // Input validation failures arrive as zod's issue list in JSON: say them as "field: problem".
    if (err.message.startsWith("[")) {
      try {
        const issues = JSON.parse(err.message) as { path?: (string | number)[]; message: string }[];
        return issues.map((i) => (i.path?.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
      } catch {
        /* not JSON after all */
      }
    }
    if (missing(err)) return `This action is not available yet on the server (${err.message}).`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function useAction<TOut = unknown>(path: ActionPath, opts: { onSuccess?: (data: TOut) => void } = {}) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: unknown) => callAction(client, path, input) as Promise<TOut>,
    onSuccess: (data) => opts.onSuccess?.(data),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.views.pathKey() }),
  });
}
