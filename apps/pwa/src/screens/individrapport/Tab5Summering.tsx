import type { Finding, IndividrapportDraft, IndividrapportField } from '@evb/domain';
import { individrapportFieldLabel } from '@evb/domain';
import type { ReactNode } from 'react';
import { type FileState, filingCopyText, tabOf, uppgifter } from '../individrapport-view';

/**
 * The last tab: what validation finds (each with a way to its field), the filing, and the whole
 * report as text — or, once filed, the frozen copy.
 */
export function Tab5Summering({
  idPrefix,
  findings,
  draft,
  text,
  state,
  filing,
  onGoTo,
}: {
  idPrefix: string;
  findings: Finding[];
  draft: IndividrapportDraft;
  text: string;
  state: FileState;
  /** The filing panel (and what else concerns filing the line). */
  filing: ReactNode;
  onGoTo: (field: IndividrapportField) => void;
}) {
  return (
    <>
      <section aria-labelledby={`${idPrefix}-check-h`}>
        <h3 id={`${idPrefix}-check-h`}>Kontroll</h3>
        {state.kind === 'filed' ? (
          <p>Rapporten är inlämnad. {filingCopyText(state.filing)}</p>
        ) : findings.length === 0 ? (
          <p>
            <span className="badge badge-ok">Klar</span> Kontrollen hittar inget att rätta.
          </p>
        ) : (
          <>
            <p>
              <span className="badge badge-problem">Att rätta</span> {uppgifter(findings.length)}{' '}
              måste rättas innan rapporten kan lämnas in:
            </p>
            <ul className="ir-findings">
              {findings.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <span>
                    Flik {tabOf(f.field)}, {individrapportFieldLabel(f.field, draft)}: {f.message}
                  </span>{' '}
                  <button type="button" className="button-link" onClick={() => onGoTo(f.field)}>
                    Gå till fältet
                    <span className="visually-hidden">
                      {' '}
                      {individrapportFieldLabel(f.field, draft)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {filing}

      <section aria-labelledby={`${idPrefix}-text-h`}>
        <h3 id={`${idPrefix}-text-h`}>
          {state.kind !== 'filed'
            ? 'Rapporten som text'
            : state.filing.recorded !== 'evb' && !state.filing.fieldsAsSent
              ? 'evb:s rapport när inlämningen registrerades'
              : 'Rapporten som den lämnades in'}
        </h3>
        <pre className="ir-text">{text}</pre>
      </section>
    </>
  );
}
