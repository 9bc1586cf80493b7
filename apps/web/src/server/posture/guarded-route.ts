// API routes run without proxy.ts (in front of them it would make Next buffer request bodies past
// the API's body limit), so each handler is wrapped here to refuse what the proxy refuses for pages.
// Only headers are read: the body still streams to the handler's own limits.
import { requestRefusal } from "./request-refusal.ts";

export function guardedRoute<A extends unknown[]>(handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const refused = requestRefusal(req);
    if (refused) return new Response(`${refused.message}\n`, { status: refused.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    return handler(req, ...rest);
  };
}
