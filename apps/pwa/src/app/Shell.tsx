import { ROLE_LABELS } from '@evb/domain';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { signOut } from '../auth/session';
import { SyncBar } from '../sync/SyncBar';
import { hasRole, useMe, useServices, useSyncState } from './context';
import { SiteBrand } from './SiteBrand';
import { SiteFooter } from './SiteFooter';

type NavItem = { href: string; label: string };

function navFor(me: ReturnType<typeof useMe>): NavItem[] {
  const items: NavItem[] = [];
  if (hasRole(me, 'utforare', 'matchare')) {
    items.push({ href: '/bestallningar', label: 'Mina beställningar' });
  }
  if (hasRole(me, 'handlaggare')) {
    items.push(
      { href: '/uppfoljningar', label: 'Uppföljningar' },
      { href: '/beslut', label: 'Mina beslut' },
      { href: '/beslut/nytt', label: 'Nytt beslut' },
      { href: '/meddelanden', label: 'Meddelanden' },
      { href: '/import', label: 'Importera' },
    );
  }
  if (hasRole(me, 'rapportor', 'huvudrapportor')) {
    items.push({ href: '/kvartal', label: 'Individrapporter' });
    items.push({ href: '/statistik', label: 'Statistik' });
    items.push({ href: '/risk', label: 'Risk för särskild avgift' });
    items.push({ href: '/rapportorer', label: 'Rapportörer' });
    // Earlier filings with IVO; a handläggare has the same page for decisions.
    if (!items.some((i) => i.href === '/import'))
      items.push({ href: '/import', label: 'Importera' });
  }
  if (hasRole(me, 'loggranskare')) {
    items.push({ href: '/loggkontroll', label: 'Loggkontroll' });
  }
  if (hasRole(me, 'admin')) {
    items.push({ href: '/anvandare', label: 'Användare' });
  }
  items.push({ href: '/konto', label: 'Mitt konto' });
  items.push({ href: '/synk', label: 'Synkronisering' });
  return items;
}

/** The frame of every signed-in screen: who is signed in, the role's screens, the sync state. */
export function Shell({ children, onSignedOut }: { children: ReactNode; onSignedOut: () => void }) {
  const me = useMe();
  const { db } = useServices();
  const sync = useSyncState();
  const [location] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstScreen = useRef(true);

  // A new screen is announced like a new page: focus moves to its content, not left on the link.
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    if (location) main.current?.focus();
  }, [location]);
  const unsent = sync.pending + sync.rejected.length;
  const roles = [...new Set(me.roles.map((g) => ROLE_LABELS[g.role]))].join(', ');

  async function doSignOut() {
    await signOut(db);
    onSignedOut();
  }

  return (
    <>
      <a className="skip-link" href="#innehall">
        Hoppa till innehållet
      </a>
      <header className="site-header">
        <div className="wrap site-header-inner">
          <SiteBrand />
          <div className="site-user">
            <span>
              {me.displayName}
              <span className="site-user-roles">{roles}</span>
            </span>
            <button
              type="button"
              className="button-header"
              onClick={() => (unsent > 0 ? setConfirming(true) : void doSignOut())}
            >
              Logga ut
            </button>
          </div>
        </div>
        <nav aria-label="Huvudmeny" className="wrap site-nav">
          <ul>
            {navFor(me).map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={location === item.href ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <SyncBar />
      {confirming && (
        <section
          className="wrap notice notice-danger"
          role="alertdialog"
          aria-labelledby="signout-h"
        >
          <h2 id="signout-h">Logga ut med osända ändringar?</h2>
          <p>
            {unsent} {unsent === 1 ? 'ändring har' : 'ändringar har'} inte skickats till servern. Om
            du loggar ut nu tas {unsent === 1 ? 'den' : 'de'} bort från enheten.
          </p>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Stanna kvar
            </button>
            <button type="button" className="button-danger" onClick={() => void doSignOut()}>
              Logga ut ändå
            </button>
          </div>
        </section>
      )}
      <main id="innehall" className="wrap" tabIndex={-1} ref={main}>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}
