import { useId, useState } from 'react';
import { Link } from 'wouter';
import { useInstallOffer } from './install';

const WHAT_IT_GIVES =
  'Installerad öppnas evb som en egen app från hemskärmen eller startmenyn, och den fungerar utan nätverk: det som senast synkades finns kvar på enheten, och det du registrerar skickas när du är ansluten igen.';

/** The offer to install evb as an app, when the browser allows it or on iOS, with what it gives. */
export function InstallOffer() {
  const offer = useInstallOffer();
  const id = useId();
  const [failed, setFailed] = useState(false);
  if (offer.kind === 'none') return null;
  return (
    <section className="install-offer" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Installera evb</h2>
      {offer.kind === 'installed' ? (
        <p role="status">evb är installerad. Du hittar den bland enhetens appar.</p>
      ) : (
        <>
          <p>{WHAT_IT_GIVES}</p>
          {offer.kind === 'button' ? (
            <div className="actions">
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setFailed(false);
                  offer.install().catch(() => setFailed(true));
                }}
              >
                Installera evb
              </button>
            </div>
          ) : (
            <p>
              På iPhone och iPad: öppna evb i Safari, tryck på <strong>Dela</strong> (fyrkanten med
              en pil uppåt) och välj <strong>Lägg till på hemskärmen</strong>.
            </p>
          )}
          {failed && (
            <p className="error" role="alert">
              Webbläsaren kunde inte installera evb. Försök igen, eller installera från webbläsarens
              meny.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The foot of every screen, signed in or not: the install offer and the accessibility statement. */
export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="wrap">
        <InstallOffer />
        <nav aria-label="Om evb">
          <ul className="site-footer-links">
            <li>
              <Link href="/tillganglighet">Tillgänglighetsredogörelse</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
