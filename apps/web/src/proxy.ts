// Runs before every page: refuses unknown Host headers (DNS rebinding) and cross-site mutations,
// sends a page request without a session cookie to /sign-in (and back after), and puts the security
// headers (with a fresh CSP nonce) on every response. API routes make the same Host/Origin check
// themselves (guardedRoute), check the session themselves (packages/api), and get their headers from
// next.config.ts. The cookie test here is only a redirect: the server checks the session on every call.
import { NextResponse, type NextRequest } from "next/server";
import { requestRefusal } from "@/server/posture/request-refusal";
import { securityHeaders } from "@/server/posture/security-headers";

/** Pages and assets anyone may load without signing in. */
const OPEN = [/^\/sign-in$/, /^\/join\//, /^\/_next\//, /^\/favicon/, /^\/icon\.svg$/];

function signInRedirect(request: NextRequest): NextResponse | null {
  const { pathname, search } = request.nextUrl;
  if (OPEN.some((re) => re.test(pathname))) return null;
  if (request.cookies.has("drover.session_token") || request.cookies.has("__Secure-drover.session_token")) return null;
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = pathname === "/" && !search ? "" : `?next=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "development");
  const refused = requestRefusal(request);
  if (refused) {
    return new NextResponse(`${refused.message}\n`, { status: refused.status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  }

  const redirect = signInRedirect(request);
  if (redirect) {
    for (const [k, v] of Object.entries(headers)) redirect.headers.set(k, v);
    return redirect;
  }

  // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  return response;
}

// Not on API routes: a proxy in front of them would make Next buffer request bodies (the API's body
// limit must see the stream).
export const config = { matcher: ["/((?!api/).*)"] };
