// A project's secrets for admins: set (the value goes in, never comes back), list names and dates,
// remove. No procedure returns a value; the runner alone decrypts them.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { ensureSecretKey, listSecrets, removeSecret, setSecret } from "@drover/db/secrets/index";
import { procedure, router } from "../trpc.ts";

const projectId = z.object({ projectId: idSchema });
const named = projectId.extend({ name: textSchema.max(64) });

export const secretsRouter = router({
  list: procedure
    .meta({ role: "admin" })
    .input(projectId)
    .query(({ ctx, input }) => listSecrets(ctx.db, input.projectId)),
  set: procedure
    .meta({ role: "admin" })
    .input(named.extend({ value: textSchema.max(65_536) }))
    .mutation(async ({ ctx, input }) => {
      const key = ensureSecretKey();
      const info = await setSecret(ctx.db, key, input, ctx.actor);
      // Names and dates only, and where the key is (never the key or the value).
      return { ...info, keyCreated: key.created ? key.source : null };
    }),
  remove: procedure
    .meta({ role: "admin" })
    .input(named)
    .mutation(async ({ ctx, input }) => {
      await removeSecret(ctx.db, input, ctx.actor);
      return { removed: input.name };
    }),
});
