import { useEffect, useRef } from 'react';
import { type Me, useServices } from '../app/context';
import { SiteBrand } from '../app/SiteBrand';
import { SiteFooter } from '../app/SiteFooter';
import { KontoMfa } from '../screens/KontoMfa';
import { signOut } from './session';

/**
 * The whole app while the kommun requires two-step verification and the signed-in user has none
 * (an enrolment-only session: the server refuses everything else). It says why, offers adding a
 * passkey or an app for one-time codes, and signing out; once a factor is added the same session
 * is a full one and `onEnrolled` goes on to the role's first screen.
 */
export function MfaEnrolmentOnly({
  me,
  onEnrolled,
  onSignedOut,
}: {
  me: Me;
  onEnrolled: () => void;
  onSignedOut: () => void;
}) {
  const { db } = useServices();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <header className="site-header">
        <div className="wrap site-header-inner">
          <SiteBrand />
          <div className="site-user">
            <span>{me.displayName}</span>
            <button
              type="button"
              className="button-header"
              onClick={async () => {
                await signOut(db);
                onSignedOut();
              }}
            >
              Logga ut
            </button>
          </div>
        </div>
      </header>
      <main id="innehall" className="wrap narrow">
        <h1 ref={heading} tabIndex={-1}>
          Slå på tvåstegsverifiering
        </h1>
        <p className="lead">
          Kommunen kräver att alla som loggar in med lösenord också bekräftar inloggningen med ett
          andra steg. Lägg till en nyckel eller en app för engångskoder innan du fortsätter. Det tar
          en minut.
        </p>
        <KontoMfa enrolment onEnrolled={onEnrolled} />
      </main>
      <SiteFooter />
    </>
  );
}
