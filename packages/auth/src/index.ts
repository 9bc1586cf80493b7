// @drover/auth: people, sign-in, roles' holders, invitations and access tokens (Better Auth underneath).
export { getAuth, type Auth } from "./server.ts";
export { parseAuthEnv, oidcConfigured } from "./env.ts";
export { signedInFromHeaders, type SignedIn } from "./signed-in.ts";
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
export { createAccessToken, listAccessTokens, revokeAccessToken } from "./access-tokens.ts";
