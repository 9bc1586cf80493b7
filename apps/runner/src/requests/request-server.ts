// The runner's side of the request channel: on NOTIFY (and each poll tick) it looks at pending
// requests, declines those whose repository is not on this host, claims one it can serve (FOR
// UPDATE SKIP LOCKED, so two runners never both do it), does it and writes the answer. A runner
// scoped to some projects (`--projects`) declines every other request, those adding a project too.
import os from "node:os";
import type { Actor } from "@drover/core/audit/actor";
import { DomainError } from "@drover/core/errors";
import { isRequestKind } from "@drover/core/runner-requests/kinds";
import type { Db } from "@drover/db";
import { claimRequest, declineRequest, finishRequest, pendingRequests } from "@drover/db/services/runner-requests";
import { repoReachable } from "@drover/repo/validate-repo";
import type { Logger } from "pino";
import { handleRequest } from "./handle-request.ts";
import { type ProjectScope, serves } from "../runner/project-scope.ts";

export class RequestServer {
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly runnerId: string,
    private readonly log: Logger,
    private readonly projects: ProjectScope = [],
  ) {}

  /** Starts a round, or asks the running one to go again (so no wake-up is lost). */
  kick(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = (async () => {
      do {
        this.again = false;
        await this.serveAll();
      } while (this.again && !this.stopped);
    })()
      .catch((err) => this.log.warn({ err: (err as Error).message }, "request round failed"))
      .finally(() => {
        this.round = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.round;
  }

  private async serveAll(): Promise<void> {
    const servable: number[] = [];
    for (const p of await pendingRequests(this.db)) {
      if (p.declined.some((d) => d.runnerId === this.runnerId)) continue;
      // One that adds a project (no project yet) is for unscoped runners only.
      const inScope = p.projectId === null ? this.projects.length === 0 : serves(this.projects, p.projectId);
      const reach = !inScope
        ? { ok: false as const, reason: `this runner serves only projects ${this.projects.join(", ")} (--projects)` }
        : isRequestKind(p.kind)
          ? repoReachable(p.repoPath)
          : { ok: true as const };
      if (reach.ok) servable.push(p.id);
      else await declineRequest(this.db, p.id, { runnerId: this.runnerId, host: os.hostname(), reason: reach.reason });
    }
    while (!this.stopped) {
      const req = await claimRequest(this.db, this.runnerId, servable);
      if (!req) return;
      servable.splice(servable.indexOf(req.id), 1);
      await this.serve(req);
    }
  }

  private async serve(req: { id: number; kind: string; payload: unknown; requestedBy: Actor }): Promise<void> {
    const log = this.log.child({ requestId: req.id, kind: req.kind });
    if (!isRequestKind(req.kind)) {
      await finishRequest(this.db, req.id, this.runnerId, {
        error: `Unknown request kind "${req.kind}"; this runner serves other kinds (is it older than the web?)`,
        code: "BAD_REQUEST",
      });
      return;
    }
    try {
      const answer = await handleRequest(this.db, req.kind, req.payload, req.requestedBy);
      await finishRequest(this.db, req.id, this.runnerId, { answer });
      log.info("request answered");
    } catch (err) {
      const e = err as Error;
      log.info({ err: e.message }, "request failed");
      await finishRequest(this.db, req.id, this.runnerId, { error: e.message, ...(err instanceof DomainError ? { code: err.code } : {}) });
    }
  }
}
