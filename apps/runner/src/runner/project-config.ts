// The slice of a project's normalized config the runner uses, read leniently: core's config parser
// owns the full schema; a missing or odd field falls back to the default here.
import { z } from "zod";
import type { ComponentSpec } from "./setup.ts";

const component = z.object({
  name: z.string(),
  path: z.string().optional(),
  setup: z.array(z.string()).optional(),
  teardown: z.array(z.string()).optional(),
});

const schema = z
  .object({
    worktree_root: z.string().optional().catch(undefined),
    copy_files: z.array(z.string()).optional().catch(undefined),
    max_coders: z.number().int().positive().optional().catch(undefined),
    component: z.array(component).optional().catch(undefined),
    components: z.array(component).optional().catch(undefined),
  })
  .passthrough();

export interface RunnerProjectConfig {
  worktreeRoot?: string;
  copyFiles: string[];
  maxCoders?: number;
  components: ComponentSpec[];
}

export function readProjectConfig(config: unknown): RunnerProjectConfig {
  const c = schema.safeParse(config ?? {});
  const d = c.success ? c.data : {};
  return {
    worktreeRoot: d.worktree_root,
    copyFiles: d.copy_files ?? [],
    maxCoders: d.max_coders,
    components: d.component ?? d.components ?? [],
  };
}
