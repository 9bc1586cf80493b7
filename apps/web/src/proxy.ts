// Runs before every page: refuses unknown Host headers (DNS rebinding) and cross-site mutations,
// and puts the security headers (with a fresh CSP nonce) on every response. API routes make the
// same check themselves (guardedRoute) and get their headers from next.config.ts.
import { NextResponse, type NextRequest } from "next/server";
import { requestRefusal } from "@/server/posture/request-refusal";
import { securityHeaders } from "@/server/posture/security-headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "development");
  const refused = requestRefusal(request);
  if (refused) {
    return new NextResponse(`${refused.message}\n`, { status: refused.status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
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
