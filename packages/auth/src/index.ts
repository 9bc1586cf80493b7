// @drover/auth: people, sign-in, roles' holders, invitations and access tokens (Better Auth underneath).
export { getAuth, OIDC_PROVIDER_ID, type Auth } from "./server.ts";
export { parseAuthEnv, oidcConfigured, type AuthEnv } from "./env.ts";
export { signedInFromHeaders, type SignedIn, type SignedInUser } from "./signed-in.ts";
export { createUserWithPassword, countUsers, listUsers, setRole, removeUser } from "./users.ts";
export {
  acceptInvitation,
  createInvitation,
  createSetupLink,
  describeInvitation,
  invitationPath,
  listPendingInvitations,
  revokeInvitation,
} from "./invitations.ts";
export { accessTokenValid, createAccessToken, listAccessTokens, revokeAccessToken, resolveAccessToken, TOKEN_PREFIX } from "./access-tokens.ts";
export { MIN_PASSWORD_LENGTH } from "./password.ts";
