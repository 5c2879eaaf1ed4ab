import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { decisionsRouter } from './routers/decisions';
import { eventsRouter } from './routers/events';
import { exportsRouter } from './routers/exports';
import { followUpsRouter } from './routers/follow-ups';
import { importsRouter } from './routers/imports';
import { logReviewRouter } from './routers/log-review';
import { messagesRouter } from './routers/messages';
import { mfaRouter } from './routers/mfa';
import { orgRouter } from './routers/org';
import { quarterRouter } from './routers/quarter';
import { remindersRouter } from './routers/reminders';
import { reportersRouter } from './routers/reporters';
import { reportsRouter } from './routers/reports';
import { riskRouter } from './routers/risk';
import { statisticsRouter } from './routers/statistics';
import { syncRouter } from './routers/sync';
import { usersRouter } from './routers/users';
import { router } from './trpc/init';

/** Every tRPC procedure of the server, one router per area. */
export const appRouter = router({
  auth: authRouter,
  mfa: mfaRouter,
  users: usersRouter,
  reporters: reportersRouter,
  audit: auditRouter,
  logReview: logReviewRouter,
  messages: messagesRouter,
  quarter: quarterRouter,
  reports: reportsRouter,
  statistics: statisticsRouter,
  exports: exportsRouter,
  risk: riskRouter,
  decisions: decisionsRouter,
  imports: importsRouter,
  events: eventsRouter,
  followUps: followUpsRouter,
  reminders: remindersRouter,
  org: orgRouter,
  sync: syncRouter,
});

export type AppRouter = typeof appRouter;
