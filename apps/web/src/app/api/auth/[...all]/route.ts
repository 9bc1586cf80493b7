// Better Auth's endpoints: sign-in, sign-out, password change, OIDC redirects and callbacks.
import { webAuth } from "@/server/auth";
import { guardedRoute } from "@/server/posture/guarded-route";

export const dynamic = "force-dynamic";

const handler = guardedRoute(async (req: Request) => (await webAuth()).handler(req));

export { handler as GET, handler as POST };
