// A real OpenID Connect provider for the browser tests (node-oidc-provider, the certified Node
// implementation) with its built-in login screen: any login and password; the login becomes the
// account, its email `<login>@<domain>`.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export const OIDC_CLIENT = { id: "drover-e2e", secret: "e2e-client-secret-not-a-real-one" };

export async function startOidcProvider(opts: { port: number; redirectUri: string; emailDomain: string }): Promise<{ issuer: string; stop(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@${opts.emailDomain}`, email_verified: true, name: `SSO ${id}` }),
    }),
    cookies: { keys: ["e2e-cookie-key"] },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(opts.port, "127.0.0.1", resolve));
  return {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
