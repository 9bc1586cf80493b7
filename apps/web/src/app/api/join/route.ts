// Uses a one-time link (first-run setup or an invitation): creates the user with the link's role
// and signs them in.
import { acceptInvitation } from "@drover/auth";
import { DomainError } from "@drover/core/errors";
import { webAuth, webDb } from "@/server/auth";
import { guardedRoute } from "@/server/posture/guarded-route";

export const dynamic = "force-dynamic";

function parse(b: unknown): { token: string; email?: string; name: string; password: string } | string {
  const o = (b ?? {}) as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === "string" && v.length <= max ? v.trim() : undefined);
  const token = str(o.token, 200);
  const name = str(o.name, 100);
  const password = typeof o.password === "string" && o.password.length <= 200 ? o.password : undefined;
  if (!token) return "The link is incomplete: open the whole link you were given.";
  if (!name) return "Enter your name (at most 100 characters).";
  if (password === undefined) return "Enter a password (at most 200 characters).";
  return { token, name, password, email: str(o.email, 254) };
}

const STATUS: Record<string, number> = { NOT_FOUND: 404, BAD_REQUEST: 400, CONFLICT: 409, PRECONDITION_FAILED: 410 };

export const POST = guardedRoute(async (req: Request): Promise<Response> => {
  const input = parse(await req.json().catch(() => null));
  if (typeof input === "string") return Response.json({ message: input }, { status: 400 });
  try {
    const { email } = await acceptInvitation(webDb(), input.token, input);
    const auth = await webAuth();
    return await auth.api.signInEmail({ body: { email, password: input.password }, headers: req.headers, asResponse: true });
  } catch (err) {
    if (err instanceof DomainError) return Response.json({ message: err.message }, { status: STATUS[err.code] ?? 400 });
    throw err;
  }
});
