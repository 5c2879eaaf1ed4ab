import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { api, onUnauthorized } from './api/client';
import { ServicesContext } from './app/context';
import { readCasesWith } from './local/cases';
import { openLocalDb } from './local/db';
import { SyncEngine } from './sync/engine';
import { startSyncTriggers } from './sync/triggers';
import { startSyncWorker, workerCaseReader, workerClient, workerPuller } from './sync/worker-rpc';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

const db = await openLocalDb();
// Pulled pages are fetched, parsed and written, and the case list's statuses worked out, in a
// worker, off the thread that draws the screens (in this thread where there are no workers).
const worker = typeof Worker === 'undefined' ? null : workerClient(startSyncWorker);
if (worker) readCasesWith(db, workerCaseReader(worker));
const engine = new SyncEngine(
  db,
  {
    push: (input) => api.sync.push.mutate(input),
    pull: (input) => api.sync.pullPacked.query(input),
    org: () => api.org.overview.query(),
  },
  undefined,
  worker ? workerPuller(worker) : undefined,
);
await engine.refresh();
startSyncTriggers(engine, db);
// A screen's call refused because the session ended tells the engine, which asks for a sign-in.
onUnauthorized((ended) => void engine.sessionEnded(ended));

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ServicesContext.Provider value={{ db, engine }}>
        <App />
      </ServicesContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
