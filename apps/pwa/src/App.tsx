import { HealthStatus } from './HealthStatus';
import { ServiceWorkerUpdate } from './ServiceWorkerUpdate';

const roles = [
  {
    title: 'Handläggare',
    text: 'Registrerar beslutet och beslutsdagen, ser vilka beslut som närmar sig tremånadersgränsen och anger skälet när verkställigheten dröjer.',
  },
  {
    title: 'Utförare och matchare',
    text: 'Registrerar vad som händer med beslutet: erbjudanden, tackat nej, dagen då insatsen verkställs och avbrott.',
  },
  {
    title: 'Rapportör',
    text: 'Sammanställer kvartalets rapport till IVO och kontrollerar att inget beslut saknas innan den lämnas.',
  },
];

export function App() {
  return (
    <>
      <header className="site-header">
        <div className="wrap site-header-inner">
          <img className="site-logo" src="/favicon.svg" alt="" width="40" height="40" />
          <p className="site-name">
            <span className="site-name-short">evb</span>
            <span className="site-name-long">ej verkställda beslut</span>
          </p>
        </div>
      </header>
      <main className="wrap">
        <h1>Ej verkställda beslut – uppföljning och rapportering till IVO</h1>
        <p className="lead">
          evb är kommunens stöd för beslut om bistånd enligt socialtjänstlagen (SoL) och insatser
          enligt LSS som inte har verkställts inom tre månader från beslutsdagen. Det gäller också
          beslut där verkställigheten har avbrutits och inte återupptagits inom tre månader. Varje
          kvartal rapporterar kommunen dem till Inspektionen för vård och omsorg (IVO).
        </p>

        <section aria-labelledby="roles-heading">
          <h2 id="roles-heading">Vem använder evb?</h2>
          <ul className="roles">
            {roles.map((role) => (
              <li key={role.title} className="role">
                <h3>{role.title}</h3>
                <p>{role.text}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="status-heading">
          <h2 id="status-heading">Anslutning</h2>
          <HealthStatus />
        </section>
      </main>
      <ServiceWorkerUpdate />
    </>
  );
}
