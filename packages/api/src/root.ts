// The app's tRPC router: one sub-router per area, each in routers/. Domain routers register
// themselves here with one line each.
import { router } from "./trpc.ts";
import { projectsRouter } from "./routers/projects.ts";
import { storiesRouter } from "./routers/stories.ts";
import { agentsRouter } from "./routers/agents.ts";
import { sessionsRouter } from "./routers/sessions.ts";
import { liveRouter } from "./routers/live.ts";
import { viewsRouter } from "./routers/views.ts";
import { importsRouter } from "./routers/imports.ts";
import { reviewRouter } from "./routers/review.ts";
import { auditRouter } from "./routers/audit.ts";
import { peopleRouter } from "./routers/people.ts";
import { onboardingRouter } from "./routers/onboarding.ts";
import { secretsRouter } from "./routers/secrets.ts";
import { notificationsRouter } from "./routers/notifications.ts";

export const appRouter = router({
  projects: projectsRouter,
  stories: storiesRouter,
  agents: agentsRouter,
  sessions: sessionsRouter,
  views: viewsRouter,
  imports: importsRouter,
  live: liveRouter,
  review: reviewRouter,
  audit: auditRouter,
  people: peopleRouter,
  onboarding: onboardingRouter,
  secrets: secretsRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
