// The work the web asks a runner to do because it needs the repository (the web has none): each
// kind's payload schema and answer type, in one place. The web inserts a request (packages/db
// runner-requests), a runner that has the repository serves it (apps/runner/src/requests).
import { z } from "zod";
import { RUNTIMES } from "../config/types.ts";
import type { DoctorFacts } from "../doctor/facts.ts";

const repoPath = z.string().trim().min(1).max(4096);
const projectId = z.number().int().min(1);
/** A secret the web sealed for the runner (packages/db secrets/sealed.ts): never a value in clear. */
const sealed = z.object({ keyId: z.string().min(1).max(100), encrypted: z.string().min(1).max(200_000) });

/** Payload fields holding sealed secrets: dropped from the request row as soon as a runner claims it (or it expires). */
export const SEALED_FIELDS = ["remoteToken"] as const;

export const REQUEST_PAYLOADS = {
  /** Validate a repository and add it as a project (or report why not). */
  "project.add": z.object({ repoPath, name: z.string().trim().min(1).max(100).optional() }),
  /** Check a git remote (reachable, base branch, roster at the base) and add it as a project. */
  "project.addRemote": z.object({
    remoteUrl: z.string().trim().min(1).max(2000),
    baseBranch: z.string().trim().min(1).max(255),
    name: z.string().trim().min(1).max(100).optional(),
    remoteSecret: z.string().trim().min(1).max(100).optional(),
    /** The HTTPS token for the check, sealed; stored as the project's secret `remoteSecret` when the project is added. */
    remoteToken: sealed.optional(),
  }),
  /** Re-read a project's roster from its repository. */
  "project.reload": z.object({ projectId }),
  /** The repository and roster facts of the doctor view. */
  "project.inspect": z.object({ projectId }),
  /** The starter roster `drover init` would write, or that the repository has one. */
  "roster.offer": z.object({ repoPath, runtime: z.enum(RUNTIMES) }),
  /** Write the starter roster, uncommitted. */
  "roster.write": z.object({ repoPath, runtime: z.enum(RUNTIMES) }),
  /** Import a storkit tree from the repository. */
  "storkit.import": z.object({ repoPath, name: z.string().trim().min(1).max(100).optional() }),
} as const;

export type RequestKind = keyof typeof REQUEST_PAYLOADS;
export type RequestPayload<K extends RequestKind> = z.infer<(typeof REQUEST_PAYLOADS)[K]>;

interface SyncAnswer {
  added: string[];
  updated: string[];
  disabled: string[];
}

export interface RequestAnswers {
  "project.add": { projectId: number; warnings: string[]; sync: SyncAnswer };
  "project.addRemote": {
    projectId: number;
    /** The host of the runner that checked the remote. */
    host: string;
    baseCommit: string;
    rosterFile: string | null;
    warnings: string[];
    sync: SyncAnswer;
  };
  "project.reload": { projectId: number; ok: boolean; error: string | null; warnings: string[]; sync: SyncAnswer };
  "project.inspect": Pick<DoctorFacts, "repo" | "roster">;
  "roster.offer": { roster: "missing"; file: string; text: string; gates: string[]; baseBranch: string | null } | { roster: "exists" };
  "roster.write": { file: string };
  "storkit.import": {
    projectId: number;
    projectName: string;
    projectCreated: boolean;
    configError: string | null;
    warnings: string[];
    agents: SyncAnswer;
    stories: { created: number[]; updated: number[]; unchanged: number[] };
    skipped: Array<{ file: string; reason: string }>;
  };
}

/** The payload of `kind`, checked; a message naming the field when it is wrong. */
export function parsePayload<K extends RequestKind>(kind: K, payload: unknown): RequestPayload<K> {
  const r = REQUEST_PAYLOADS[kind].safeParse(payload);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`Bad ${kind} request: ${i.path.join(".") || "payload"} ${i.message}`);
  }
  return r.data as RequestPayload<K>;
}

export function isRequestKind(k: string): k is RequestKind {
  return Object.hasOwn(REQUEST_PAYLOADS, k);
}
