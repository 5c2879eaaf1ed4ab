import { addDays, findInsats, type RapportorMessage, rapportorMessages } from '@evb/domain';
import { Link } from 'wouter';
import { useToday } from '../app/context';
import { dueText, formatDate } from '../format/format';
import { type LocalCase, toDomainDecision } from '../local/cases';
import { useCases } from '../local/hooks';

/** How far back the list of messages already due reaches. */
const RECENT_DAYS = 92;

type Row = { item: LocalCase; message: RapportorMessage };

/**
 * The messages that go to the rapportör about the handläggare's decisions, with the titles the
 * routine gives them: the next one due per decision, and those due over the last three months.
 * evb puts them in the rapportör's inbox itself; the handläggare sees what goes and when.
 */
export function HandlaggareMessages() {
  const today = useToday();
  const cases = useCases();
  const upcoming: { item: LocalCase; title: string; date: string; daysLeft: number }[] = [];
  const recent: Row[] = [];
  for (const item of cases.data ?? []) {
    const next = item.status.deadlines.meddelande;
    if (next?.title && next.date > today) {
      upcoming.push({ item, title: next.title, date: next.date, daysLeft: next.daysLeft });
    }
    const events = item.events.filter((e) => !e.rejected);
    for (const message of rapportorMessages(toDomainDecision(item.decision), events, today)) {
      if (message.due >= addDays(today, -RECENT_DAYS)) recent.push({ item, message });
    }
  }
  upcoming.sort((a, b) => a.date.localeCompare(b.date));
  recent.sort((a, b) => b.message.due.localeCompare(a.message.due));

  const who = (item: LocalCase) => (
    <Link href={`/beslut/${item.decision.id}`}>
      {item.decision.person.fornamn} {item.decision.person.efternamn}
    </Link>
  );

  return (
    <>
      <h1>Meddelanden till rapportören</h1>
      <p className="lead">
        När ett beslut inte har verkställts inom tre månader, och när det sedan verkställs eller
        avslutas, får rapportören ett meddelande med den här rubriken.
      </p>
      <section aria-labelledby="upcoming-h">
        <h2 id="upcoming-h">Kommande</h2>
        {upcoming.length === 0 ? (
          <p className="empty">Inga kommande meddelanden.</p>
        ) : (
          <ul className="cards">
            {upcoming.map(({ item, title, date, daysLeft }) => (
              <li key={item.decision.id} className="card">
                <h3 className="card-title message-title">{title}</h3>
                <p className="card-meta">
                  {who(item)} · {findInsats(item.decision.insats)?.label}
                </p>
                <p>
                  Skickas {formatDate(date)} ({dueText(daysLeft)})
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="recent-h">
        <h2 id="recent-h">Skickade de senaste tre månaderna</h2>
        {recent.length === 0 ? (
          <p className="empty">Inga meddelanden de senaste tre månaderna.</p>
        ) : (
          <ul className="cards">
            {recent.map(({ item, message }) => (
              <li key={message.key} className="card">
                <h3 className="card-title message-title">{message.title}</h3>
                <p className="card-meta">
                  {who(item)} · skickat {formatDate(message.due)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
