// People: who am I, users and their roles, invitations (admin), and one's own access tokens.
import { z } from "zod";
import { ROLES } from "@drover/core/access/roles";
import {
  createAccessToken,
  createInvitation,
  invitationPath,
  listAccessTokens,
  listPendingInvitations,
  listUsers,
  removeUser,
  revokeAccessToken,
  revokeInvitation,
  setRole,
} from "@drover/auth";
import { mailInvitation, mailSettings } from "@drover/auth/invitation-mail";
import { addProjectMember, listProjectMembers, removeProjectMember } from "@drover/auth/project-access";
import { idSchema } from "@drover/db/services/validate";
import { procedure, router } from "../trpc.ts";

const role = z.enum(ROLES);
const userId = z.string().min(1).max(100);

export const peopleRouter = router({
  me: procedure.meta({ role: "viewer" }).query(({ ctx }) => ({ ...ctx.user, via: ctx.actor.kind })),

  users: procedure.meta({ role: "admin" }).query(async ({ ctx }) =>
    (await listUsers(ctx.db)).map(({ accounts, ...u }) => ({
      ...u,
      signInWith: [...new Set(accounts.map((a) => (a.providerId === "credential" ? "password" : "single sign-on")))],
    })),
  ),
  setRole: procedure
    .meta({ role: "admin" })
    .input(z.object({ userId, role }))
    .mutation(({ ctx, input }) => setRole(ctx.db, input.userId, input.role)),
  remove: procedure
    .meta({ role: "admin" })
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) => removeUser(ctx.db, input.userId)),

  invitations: procedure.meta({ role: "admin" }).query(({ ctx }) => listPendingInvitations(ctx.db)),
  /** Returns the one-time link's path once (and mails it when SMTP is configured); only its hash is kept. */
  invite: procedure
    .meta({ role: "admin" })
    .input(z.object({ email: z.string().trim().min(3).max(254), role }))
    .mutation(async ({ ctx, input }) => {
      const smtp = mailSettings(); // bad SMTP settings refuse before any link is made
      const { token, expiresAt } = await createInvitation(ctx.db, { email: input.email, role: input.role, invitedById: ctx.user.id });
      // Also by mail when SMTP is configured; the link is returned either way.
      const mail = await mailInvitation(smtp, { to: input.email.trim().toLowerCase(), token, role: input.role, inviterName: ctx.user.name, expiresAt });
      return { path: invitationPath(token), expiresAt, ...mail };
    }),
  revokeInvitation: procedure
    .meta({ role: "admin" })
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, input.id)),

  /** Per-project membership: a project with members is seen only by them (and admins). */
  projectMembers: procedure
    .meta({ role: "admin" })
    .input(z.object({ projectId: idSchema }))
    .query(({ ctx, input }) => listProjectMembers(ctx.db, input.projectId)),
  addToProject: procedure
    .meta({ role: "admin" })
    .input(z.object({ projectId: idSchema, email: z.string().trim().min(3).max(254) }))
    .mutation(({ ctx, input }) => addProjectMember(ctx.db, input.projectId, input.email)),
  removeFromProject: procedure
    .meta({ role: "admin" })
    .input(z.object({ projectId: idSchema, userId }))
    .mutation(({ ctx, input }) => removeProjectMember(ctx.db, input.projectId, input.userId)),

  tokens: procedure.meta({ role: "viewer" }).query(({ ctx }) => listAccessTokens(ctx.db, ctx.user.id)),
  /** Returns the token once; only its hash is kept. A token acts with its owner's role. */
  createToken: procedure
    .meta({ role: "viewer" })
    .input(z.object({ name: z.string().trim().min(1).max(100), days: z.number().int().min(1).max(366) }))
    .mutation(({ ctx, input }) => createAccessToken(ctx.db, ctx.user.id, input)),
  revokeToken: procedure
    .meta({ role: "viewer" })
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => revokeAccessToken(ctx.db, input.id, { userId: ctx.user.id, isAdmin: ctx.user.role === "admin" })),
});
