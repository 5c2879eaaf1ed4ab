import { todayInStockholm } from '@evb/domain';
import { formatDate } from '../../format/format';
import type { LineMessage } from '../individrapport-view';

/** The rapportör messages about the line, newest first, each handled or not. */
export function Messages({ id, messages }: { id: string; messages: LineMessage[] }) {
  const newestFirst = [...messages].sort((a, b) => b.date.localeCompare(a.date));
  return (
    <aside className="ir-messages" aria-labelledby={`${id}-h`} id={id}>
      <h2 id={`${id}-h`}>Meddelanden om raden</h2>
      {newestFirst.length === 0 ? (
        <p className="empty">Inga meddelanden om raden.</p>
      ) : (
        <ul className="ir-message-list">
          {newestFirst.map((m) => (
            <li key={m.key} className={`card${m.handled ? '' : ' card-urgent'}`}>
              <p className="message-title">{m.title}</p>
              <p className="card-meta">Skickat {formatDate(m.due)}</p>
              <p>
                {m.handled ? (
                  <>
                    <span className="badge badge-ok">Hanterat</span>{' '}
                    {formatDate(todayInStockholm(new Date(m.handled.at)))} av {m.handled.byName}
                  </>
                ) : (
                  <span className="badge badge-pending">Ej hanterat</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
