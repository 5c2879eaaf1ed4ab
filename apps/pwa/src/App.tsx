import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { onMfaEnrolmentRequired } from './api/client';
import { hasRole, type Me, MeContext, useServices } from './app/context';
import { Shell } from './app/Shell';
import { SiteFooter } from './app/SiteFooter';
import { SignIn } from './auth/SignIn';
import { loadSession, type Session } from './auth/session';
import { useLocalInvalidation } from './local/hooks';
import { requestPersistence } from './local/storage';
import { ServiceWorkerUpdate } from './ServiceWorkerUpdate';

// The desktop and tablet screens load on demand: the phone's first screen stays small.
const QuarterPage = lazy(() =>
  import('./screens/QuarterPage').then((m) => ({ default: m.QuarterPage })),
);
const Individrapport = lazy(() =>
  import('./screens/individrapport/IndividrapportScreen').then((m) => ({
    default: m.Individrapport,
  })),
);
const Statistik = lazy(() => import('./screens/Statistik').then((m) => ({ default: m.Statistik })));
const Risk = lazy(() => import('./screens/Risk').then((m) => ({ default: m.Risk })));
const RegisterDecision = lazy(() =>
  import('./screens/RegisterDecision').then((m) => ({ default: m.RegisterDecision })),
);
const Rapportorer = lazy(() =>
  import('./screens/Rapportorer').then((m) => ({ default: m.Rapportorer })),
);
const Loggkontroll = lazy(() =>
  import('./screens/Loggkontroll').then((m) => ({ default: m.Loggkontroll })),
);
const Anvandare = lazy(() => import('./screens/Anvandare').then((m) => ({ default: m.Anvandare })));
const Konto = lazy(() => import('./screens/Konto').then((m) => ({ default: m.Konto })));
// Shown only when the kommun requires MFA and the user has none: its QR code library stays out of
// the first screen.
const MfaEnrolmentOnly = lazy(() =>
  import('./auth/MfaEnrolmentOnly').then((m) => ({ default: m.MfaEnrolmentOnly })),
);
const Import = lazy(() => import('./screens/Import').then((m) => ({ default: m.Import })));
const DecisionRead = lazy(() =>
  import('./screens/DecisionRead').then((m) => ({ default: m.DecisionRead })),
);

// A decision's page and the handläggare's, sync and accessibility screens load on demand too:
// the first screen (the lists) evaluates no form, schema or timeline code before it paints.
const loadDecisionPage = () => import('./screens/DecisionPage');
const loadFollowUps = () => import('./screens/FollowUps');
const loadHandlaggareMessages = () => import('./screens/HandlaggareMessages');
const loadSyncPage = () => import('./screens/SyncPage');
const DecisionPage = lazy(() => loadDecisionPage().then((m) => ({ default: m.DecisionPage })));
const FollowUps = lazy(() => loadFollowUps().then((m) => ({ default: m.FollowUps })));
const HandlaggareMessages = lazy(() =>
  loadHandlaggareMessages().then((m) => ({ default: m.HandlaggareMessages })),
);
const SyncPage = lazy(() => loadSyncPage().then((m) => ({ default: m.SyncPage })));
/** What a field role opens offline. */
const OFFLINE_SCREENS = [loadDecisionPage, loadFollowUps, loadHandlaggareMessages, loadSyncPage];
/** How long a first visit waits for the service worker before loading the offline screens itself. */
const SERVICE_WORKER_WAIT_MS = 10_000;

/** Resolves when a service worker controls the page, or after `ms` (none, or still installing). */
function untilServiceWorkerOrTimeout(ms: number): Promise<void> {
  const container = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
  if (!container || container.controller) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      container.removeEventListener('controllerchange', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    container.addEventListener('controllerchange', done);
  });
}
const Tillganglighet = lazy(() =>
  import('./screens/Tillganglighet').then((m) => ({ default: m.Tillganglighet })),
);

import { CaseList } from './screens/CaseList';
import { NotFound } from './screens/NotFound';

export function App() {
  const { db, engine } = useServices();
  const [session, setSession] = useState<Session | null>(null);
  const queryClient = useQueryClient();
  // The accessibility statement is open to everyone, signed in or not.
  const [location, navigate] = useLocation();

  useEffect(() => {
    void loadSession(db).then((s) => {
      setSession(s);
      if (s.state === 'signed-in' && !s.mfaEnrolment) engine.signedIn(s.me.id);
      else engine.signedOut();
    });
  }, [db, engine]);

  // The kommun began to require two-step verification while this user was signed in without it:
  // the server refuses their calls until they add a factor, so the app shows only that.
  useEffect(() => {
    if (session?.state !== 'signed-in' || session.mfaEnrolment) return;
    return onMfaEnrolmentRequired(() => {
      engine.signedOut();
      setSession({ ...session, mfaEnrolment: true });
    });
  }, [engine, session]);

  useEffect(() => {
    if (session?.state !== 'signed-in') return;
    const signedOut = () => {
      // The server ended the session (idle, its absolute end, revoked) or another tab changed
      // who is signed in: the sign-in screen says why; the outbox and drafts stay.
      const state = engine.getState();
      if (!state.needsSignIn) return;
      queryClient.clear();
      setSession({
        state: 'signed-out',
        previous: session.me,
        ended: { reason: state.ended, at: new Date().toISOString() },
      });
    };
    signedOut();
    return engine.subscribe(signedOut);
  }, [engine, session, queryClient]);

  if (!session) {
    return (
      <main className="wrap">
        <p role="status">Startar evb…</p>
      </main>
    );
  }
  if (session.state === 'signed-out') {
    return (
      <>
        {location === '/tillganglighet' ? (
          <main id="innehall" className="wrap">
            <p className="breadcrumb">
              <Link href="/">← Till inloggningen</Link>
            </p>
            <Suspense fallback={<p role="status">Läser in…</p>}>
              <Tillganglighet focusHeading />
            </Suspense>
          </main>
        ) : (
          <SignIn
            key={session.previous?.id ?? ''}
            previous={session.previous}
            ended={session.ended}
            other={session.other}
            onSignedIn={(me, options) => {
              queryClient.clear();
              setSession({
                state: 'signed-in',
                me,
                offline: false,
                mfaEnrolment: options?.mfaEnrolment === true,
              });
            }}
          />
        )}
        <SiteFooter />
        <ServiceWorkerUpdate />
      </>
    );
  }
  const afterSignOut = () => {
    queryClient.clear();
    engine.signedOut();
    setSession({ state: 'signed-out', previous: null, ended: null });
  };
  if (session.mfaEnrolment) {
    return (
      <MeContext.Provider value={session.me}>
        <Suspense
          fallback={
            <main className="wrap">
              <p role="status">Läser in…</p>
            </main>
          }
        >
          <MfaEnrolmentOnly
            me={session.me}
            onSignedOut={afterSignOut}
            onEnrolled={() => {
              // The same session is a full one now: on to the role's first screen.
              queryClient.clear();
              engine.signedIn(session.me.id);
              navigate('/', { replace: true });
              setSession({ ...session, mfaEnrolment: false });
            }}
          />
        </Suspense>
        <ServiceWorkerUpdate />
      </MeContext.Provider>
    );
  }
  return (
    <MeContext.Provider value={session.me}>
      <SignedIn me={session.me} onSignedOut={afterSignOut} />
      <ServiceWorkerUpdate />
    </MeContext.Provider>
  );
}

/** The first screen of each role. */
function homeOf(me: Me): string {
  if (hasRole(me, 'utforare', 'matchare')) return '/bestallningar';
  if (hasRole(me, 'handlaggare')) return '/uppfoljningar';
  if (hasRole(me, 'rapportor', 'huvudrapportor')) return '/kvartal';
  if (hasRole(me, 'loggranskare')) return '/loggkontroll';
  if (hasRole(me, 'admin')) return '/anvandare';
  return '/synk';
}

function SignedIn({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  useLocalInvalidation();
  // Drafts and the outbox must not be evicted when the device runs short of space.
  useEffect(() => {
    void requestPersistence();
  }, []);
  const unit = hasRole(me, 'utforare', 'matchare');
  const handlaggare = hasRole(me, 'handlaggare');
  const rapportor = hasRole(me, 'rapportor', 'huvudrapportor');
  // The screens used offline must open without a network. Once the service worker controls the
  // page they are in its cache; until then (a first visit, while it installs) they are loaded when
  // the first screen is idle. Loading them where the worker has them would only hold up the main
  // thread (their code is evaluated on loading).
  useEffect(() => {
    if (!unit && !handlaggare) return;
    let stopped = false;
    const load = () => {
      if (stopped || navigator.serviceWorker?.controller) return;
      for (const screen of OFFLINE_SCREENS) void screen().catch(() => {});
    };
    void untilServiceWorkerOrTimeout(SERVICE_WORKER_WAIT_MS).then(() => {
      if (stopped) return;
      // Safari has no requestIdleCallback.
      if (typeof window.requestIdleCallback === 'function') {
        window.requestIdleCallback(load, { timeout: 5000 });
      } else {
        setTimeout(load, 0);
      }
    });
    return () => {
      stopped = true;
    };
  }, [unit, handlaggare]);
  return (
    <Shell onSignedOut={onSignedOut}>
      <Suspense fallback={<p role="status">Läser in…</p>}>
        <Switch>
          <Route path="/">
            <Redirect to={homeOf(me)} replace />
          </Route>
          {unit && (
            <Route path="/bestallningar">
              <CaseList title="Mina beställningar" roles={['utforare', 'matchare']} showOffers />
            </Route>
          )}
          {handlaggare && (
            <Route path="/beslut">
              <CaseList title="Mina beslut" roles={['handlaggare']} />
            </Route>
          )}
          {handlaggare && <Route path="/beslut/nytt" component={RegisterDecision} />}
          {(handlaggare || rapportor) && <Route path="/import" component={Import} />}
          {(unit || handlaggare) && <Route path="/beslut/:id" component={DecisionPage} />}
          {rapportor && !unit && !handlaggare && (
            <Route path="/beslut/:id" component={DecisionRead} />
          )}
          {handlaggare && <Route path="/uppfoljningar" component={FollowUps} />}
          {handlaggare && <Route path="/meddelanden" component={HandlaggareMessages} />}
          {rapportor && <Route path="/kvartal" component={QuarterPage} />}
          {rapportor && (
            <Route
              path="/kvartal/:quarterKey/:decisionId/:episodeStart"
              component={Individrapport}
            />
          )}
          {rapportor && <Route path="/statistik" component={Statistik} />}
          {rapportor && <Route path="/risk" component={Risk} />}
          {rapportor && <Route path="/rapportorer" component={Rapportorer} />}
          {hasRole(me, 'loggranskare') && (
            <Route path="/loggkontroll/:section?" component={Loggkontroll} />
          )}
          {hasRole(me, 'admin') && <Route path="/anvandare" component={Anvandare} />}
          <Route path="/konto" component={Konto} />
          <Route path="/synk" component={SyncPage} />
          <Route path="/tillganglighet">
            <Tillganglighet />
          </Route>
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </Shell>
  );
}
