import { authRouter } from './routers/auth';
import { router } from './trpc/init';

/** Every tRPC procedure of the server, one router per area. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
