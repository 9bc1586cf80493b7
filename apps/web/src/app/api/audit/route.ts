// The audit trail as a download: GET /api/audit?format=csv|jsonl, filtered by person, projectId,
// actorKind, kind, since and until; streamed page by page, oldest first.
import { createContext } from "@drover/api";
import { hasRole } from "@drover/core/access/roles";
import { DomainError } from "@drover/core/errors";
import { guardedRoute } from "@/server/posture/guarded-route";
import { streamResponse } from "@/server/stream-response";
import { AUDIT_FORMATS, type AuditFilter, type AuditFormat, exportAudit } from "@drover/db/services/audit";

export const dynamic = "force-dynamic";

const bad = (message: string) => new Response(`${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });

export const GET = guardedRoute(async (req: Request) => {
  // Outside tRPC, so its own check, the same as audit.list's: admins only (it spans every project).
  const api = createContext({ req });
  const who = await api.signedIn;
  if (!who) return new Response("Sign in first.\n", { status: 401 });
  if (!hasRole(who.user.role, "admin")) return new Response(`This needs the admin role; you are a ${who.user.role}.\n`, { status: 403 });
  const q = new URL(req.url).searchParams;
  const format = (q.get("format") ?? "jsonl") as AuditFormat;
  if (!AUDIT_FORMATS.includes(format)) return bad(`format "${format}" is not supported: use ${AUDIT_FORMATS.join(" or ")}`);
  const date = (k: string) => (q.get(k) ? new Date(q.get(k)!) : undefined);
  const filter: AuditFilter = {
    person: q.get("person") ?? undefined,
    projectId: q.get("projectId") ? Number(q.get("projectId")) : undefined,
    actorKind: (q.get("actorKind") ?? undefined) as AuditFilter["actorKind"],
    kind: q.get("kind") ?? undefined,
    since: date("since"),
    until: date("until"),
  };
  for (const k of ["since", "until"] as const) if (filter[k] && Number.isNaN(filter[k].getTime())) return bad(`${k}: use an ISO date like 2026-12-01`);
  const chunks = exportAudit(api.db, format, filter);
  let first: IteratorResult<string>;
  try {
    first = await chunks.next(); // validates the filter before any byte is sent
  } catch (err) {
    if (err instanceof DomainError) return bad(err.message);
    throw err;
  }
  return streamResponse(
    chunks,
    {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="drover-audit.${format}"`,
    },
    first,
  );
});
