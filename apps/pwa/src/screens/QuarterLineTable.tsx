import {
  type Quarter,
  quarterKey,
  quarterLabel,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { useId } from 'react';
import { Link } from 'wouter';
import { days, formatDate } from '../format/format';
import { individrapportHref } from './individrapport-view';
import {
  filedHowText,
  findingsText,
  type LineFilter,
  lineKeyOf,
  rows,
  sendNoticeShort,
  type TodoGroup,
  type TodoLine,
  voidedSinceShort,
} from './quarter-todo';
import {
  episodeKindText,
  filedText,
  messagesText,
  notFileableToday,
  STATUS_TONES,
  statusText,
} from './quarter-view';

/** A line's decision, read-only, with the way back to this list (quarter, nämnd, filter). */
export function decisionHref(
  decisionId: string,
  back: { quarter: Quarter; namndId: string; filter: LineFilter },
): string {
  const query = new URLSearchParams({ kvartal: quarterKey(back.quarter), namnd: back.namndId });
  if (back.filter !== 'alla') query.set('visa', back.filter);
  return `/beslut/${encodeURIComponent(decisionId)}?${query.toString()}`;
}

/** One table of the to-do view: the lines sent as ny-, åter- or slutrapporteringar. */
export function QuarterLineTable({
  group,
  filtered,
  quarter,
  namndId,
  filter,
  today,
}: {
  group: TodoGroup;
  filtered: boolean;
  quarter: Quarter;
  namndId: string;
  filter: LineFilter;
  today: string;
}) {
  const headingId = useId();
  const { kategori, title, empty, total, lines } = group;
  const count = filtered ? `${lines.length} av ${total}` : String(total);
  return (
    <section className="report-group" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <span className="report-count">({count})</span>
      </h2>
      {lines.length === 0 ? (
        <p className="empty">{total === 0 ? empty : 'Inga rader med det urvalet.'}</p>
      ) : (
        <table className="report-table stack-table" data-kategori={kategori}>
          <caption className="visually-hidden">
            {title}, {quarterLabel(quarter)}: {rows(lines.length)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Person och IVO-id</th>
              <th scope="col">Insats</th>
              <th scope="col">Väntan började</th>
              <th scope="col">Tre månader passerade</th>
              <th scope="col">Väntat</th>
              <th scope="col">Status</th>
              <th scope="col">Inlämnad</th>
              <th scope="col">Att göra</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <LineRow
                key={lineKeyOf(line)}
                line={line}
                quarter={quarter}
                namndId={namndId}
                filter={filter}
                today={today}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LineRow({
  line,
  quarter,
  namndId,
  filter,
  today,
}: {
  line: TodoLine;
  quarter: Quarter;
  namndId: string;
  filter: LineFilter;
  today: string;
}) {
  const blocked = notFileableToday(line, quarter, today);
  const how = filedHowText(line.filedHow);
  const notice = sendNoticeShort(line);
  const voided = voidedSinceShort(line);
  return (
    <tr data-todo={todoState(line)}>
      <th scope="row">
        <Link
          className="report-name"
          href={individrapportHref({
            namndId,
            quarter,
            decisionId: line.decisionId,
            episodeStart: line.episode.start,
          })}
        >
          {line.person.namn}
          <span className="visually-hidden">: individrapport</span>
        </Link>
        <span className="report-id">
          <span className="visually-hidden">IVO-id </span>
          {line.person.ivoId}
        </span>
        {line.person.skyddadIdentitet && <span className="report-note">Skyddad identitet</span>}
        <Link
          className="report-note report-decision"
          href={decisionHref(line.decisionId, { quarter, namndId, filter })}
        >
          Visa beslutet<span className="visually-hidden"> om {line.person.namn}</span>
        </Link>
      </th>
      <td data-label="Insats">
        {line.insatsLabel}
        <span className="report-note">
          {verksamhetsomradeLabel(line.verksamhetsomrade as Verksamhetsomrade)}
          {line.forhandsbesked ? ' · Förhandsbesked' : ''}
        </span>
      </td>
      <td data-label="Väntan började">
        {episodeKindText(line)}{' '}
        <span className="report-date">{formatDate(line.episode.start)}</span>
      </td>
      <td data-label="Tre månader passerade" className="report-date">
        {formatDate(line.overdueFrom)}
      </td>
      <td data-label="Väntat" className="report-date">
        {days(line.daysWaited)}
      </td>
      <td data-label="Status">
        <span className={`badge ${STATUS_TONES[line.status]}`}>{statusText(line)}</span>
      </td>
      <td data-label="Inlämnad" className="report-date">
        <span className={`badge ${line.filed ? 'badge-ok' : 'badge-pending'}`}>
          {filedText(line)}
        </span>
        {how && (
          <span className="report-note">
            {how.charAt(0).toLocaleUpperCase('sv') + how.slice(1)}
          </span>
        )}
        {voided && (
          <span className="report-note report-voided">
            <strong>{voided.fact}.</strong> {voided.advice}
          </span>
        )}
      </td>
      <td data-label="Att göra">
        {!line.filed &&
          (line.canFileToday === true ? (
            <span className="badge badge-ok">Kan lämnas i dag</span>
          ) : line.findings !== null && line.findings > 0 ? (
            <span className="badge badge-problem">{findingsText(line.findings)}</span>
          ) : line.findings === null ? (
            <span className="report-note">Kontrolleras…</span>
          ) : null)}
        {notice && <span className="report-note report-send">{notice}</span>}
        {line.unhandledMessages > 0 && (
          <span className="report-note report-messages">
            {messagesText(line.unhandledMessages)}
          </span>
        )}
        {blocked && <span className="report-note">{blocked}</span>}
      </td>
    </tr>
  );
}

/** The line's state in the to-do order, for the row's data attribute (styles and tests). */
function todoState(line: TodoLine): string {
  if (line.filed) return 'inlamnad';
  if (line.canFileToday === true) return 'kan-lamnas';
  if ((line.findings ?? 0) > 0) return 'fel';
  return line.findings === null ? 'kontrolleras' : 'vantar';
}
