// Pages need a sign-in: without a session cookie, go to /sign-in (and come back after). This only
// looks for the cookie; the server checks the session itself on every API call (packages/api).
import { NextResponse, type NextRequest } from "next/server";

const OPEN = [/^\/sign-in$/, /^\/join\//, /^\/api\//, /^\/_next\//, /^\/favicon/];

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (OPEN.some((re) => re.test(pathname))) return NextResponse.next();
  const hasSession = req.cookies.has("drover.session_token") || req.cookies.has("__Secure-drover.session_token");
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = pathname === "/" && !search ? "" : `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

// Not on API routes: they check the session themselves, and a proxy in front of them would make
// Next buffer request bodies (the API's body limit must see the stream).
export const config = { matcher: ["/((?!api/|_next/|favicon).*)"] };
