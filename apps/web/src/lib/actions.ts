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

export async function callAction(client: unknown, path: ActionPath, input: unknown): Promise<unknown> {
  let node = client as Record<string, unknown>;
  for (const part of path.split(".")) node = node[part] as Record<string, unknown>;
  return (node as unknown as { mutate(i: unknown): Promise<unknown> }).mutate(input);
}

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    if (/No procedure found|No "mutation"-procedure/i.test(err.message)) return `This action is not available yet on the server (${err.message}).`;
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
