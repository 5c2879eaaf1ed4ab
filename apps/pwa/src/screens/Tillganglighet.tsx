import { useEffect, useRef } from 'react';

/** Digg's form for reporting a public service's lack of accessibility. */
export const DIGG_REPORT_URL = 'https://www.digg.se/tdosanmalan';

/**
 * The accessibility statement (tillgänglighetsredogörelse) that the law on accessible digital
 * public services (lag (2018:1937) om tillgänglighet till digital offentlig service, "DOS-lagen")
 * asks of evb, laid out as Digg's model statement: how accessible evb is, what is known not to
 * be, how to report a problem, and Digg as the supervisory authority. Open without signing in.
 * The gaps listed are the real ones known; keep them up to date when one is fixed or found.
 */
export function Tillganglighet({ focusHeading = false }: { focusHeading?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);

  return (
    <article className="statement">
      <h1 ref={heading} tabIndex={-1}>
        Tillgänglighetsredogörelse för evb
      </h1>
      <p className="lead">
        evb (ej verkställda beslut) används av kommunen för att följa och rapportera beslut enligt
        SoL och LSS som inte har verkställts. Kommunen vill att så många som möjligt ska kunna
        använda evb. Här beskriver vi hur evb uppfyller lagen (2018:1937) om tillgänglighet till
        digital offentlig service, vilka brister vi känner till och hur du kan rapportera problem så
        att vi kan åtgärda dem.
      </p>

      <h2>Hur tillgänglig är evb?</h2>
      <p>
        Vi vet att delar av evb inte är helt tillgängliga. Se avsnittet{' '}
        <a href="#brister">Innehåll som inte är tillgängligt</a> nedan.
      </p>

      <h2>Vad kan du göra om du inte kan använda delar av evb?</h2>
      <p>
        Om du behöver innehåll från evb i ett annat format, eller inte kan utföra en uppgift,
        kontakta kommunen: den som administrerar evb i din kommun, din chef eller kommunens växel.
        Uppgifterna i rapporterna finns också som CSV och XLSX, som går att läsa med skärmläsare.
      </p>

      <h2>Rapportera brister i evb:s tillgänglighet</h2>
      <p>
        Vi strävar efter att fler ska kunna använda evb. Om du upptäcker problem som inte beskrivs
        här, eller om du tycker att vi inte uppfyller lagen, kontakta kommunen som använder evb (den
        som administrerar evb, eller kommunens växel) och berätta vad du försökte göra och var i evb
        det var. Då får vi veta att problemet finns.
      </p>

      <h2>Tillsyn</h2>
      <p>
        Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen av lagen om tillgänglighet
        till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan
        du kontakta Digg och påpeka det.
      </p>
      <p>
        <a href={DIGG_REPORT_URL} rel="noopener noreferrer">
          Anmäl bristande tillgänglighet till Digg
        </a>{' '}
        (digg.se/tdosanmalan).
      </p>

      <h2>Teknisk information om evb:s tillgänglighet</h2>
      <p>
        evb är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund
        av de brister som beskrivs nedan. Målet är att uppfylla WCAG 2.1 på nivå AA.
      </p>

      <h3 id="brister">Innehåll som inte är tillgängligt</h3>
      <p>Följande innehåll uppfyller inte lagens krav:</p>
      <ul>
        <li>
          PDF-filerna som evb skapar (individrapporter, en rapporteringsperiods rapporter och
          statistiken) är inte taggade, så en skärmläsare får inte fram deras rubriker, tabeller och
          läsordning (WCAG 1.3.1 Information och relationer). Samma uppgifter finns på skärmarna i
          evb och som CSV och XLSX.
        </li>
        <li>
          Efter en tid utan aktivitet (normalt 30 minuter) loggas du ut utan förvarning, och tiden
          går inte att förlänga innan den har gått ut (WCAG 2.2.1 Justerbar tidsgräns). Det du har
          skrivit finns kvar på enheten och skickas när du loggar in igen.
        </li>
        <li>
          Vi har inte låtit en extern part granska evb manuellt, och evb har inte testats med alla
          vanliga skärmläsare. Det kan därför finnas brister som vi inte känner till.
        </li>
      </ul>

      <h3>Hur vi testat evb</h3>
      <p>
        Vi har själva bedömt evb. Skärmarna testas automatiskt med verktyget axe mot WCAG 2.1 nivå A
        och AA vid varje ändring, och formulärens felmeddelanden och fokus testas i webbläsaren. Den
        senaste bedömningen gjordes den 7 december 2026.
      </p>
      <p>Redogörelsen uppdaterades senast den 7 december 2026.</p>
    </article>
  );
}
