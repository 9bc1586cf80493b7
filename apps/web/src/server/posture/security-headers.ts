// Headers every response carries: a Content-Security-Policy the app works under (scripts only from
// this origin or with this response's nonce; no framing), no MIME sniffing, no referrer leaks.

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Next.js marks its own inline scripts with the nonce; 'strict-dynamic' lets them load chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React renders style attributes (board columns, drag transforms, the virtual log list).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const COMMON = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** A page's headers (set by proxy.ts). */
export function securityHeaders(nonce: string, dev: boolean): Record<string, string> {
  return { "Content-Security-Policy": contentSecurityPolicy(nonce, dev), ...COMMON };
}

/** An API response's headers (set by next.config.ts): data and downloads, never a document to run. */
export const API_SECURITY_HEADERS: Record<string, string> = { "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", ...COMMON };
