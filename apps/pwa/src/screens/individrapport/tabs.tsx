import { INDIVIDRAPPORT_TABS } from '@evb/domain';
import type { KeyboardEvent } from 'react';

export type TabNumber = 1 | 2 | 3 | 4 | 5;

/** The e-tjänst's five tabs: a short label for the tab button, the title above its panel. */
export const TABS: { tab: TabNumber; label: string; title: string }[] = [
  ...INDIVIDRAPPORT_TABS.map((t) => ({
    tab: t.tab as TabNumber,
    label: ['Nämnd', 'Rapportör', 'Individ', 'Dröjsmål'][t.tab - 1]!,
    title: t.title,
  })),
  // The e-tjänst's tab 5, where the report is reviewed before it is sent (seed 000).
  { tab: 5, label: 'Summering', title: 'Summering' },
];

/** The DOM id of a tab's button and of its panel. */
export const tabId = (idPrefix: string, tab: TabNumber) => `${idPrefix}-tab-${tab}`;
export const panelId = (idPrefix: string, tab: TabNumber) => `${idPrefix}-panel-${tab}`;

/**
 * The row of tab buttons (WAI-ARIA tabs: one in the tab order, arrow keys, Home and End move
 * between them), each with how many of its fields validation finds something in.
 */
export function TabList({
  idPrefix,
  tab,
  countOf,
  onChoose,
}: {
  idPrefix: string;
  tab: TabNumber;
  countOf: (tab: TabNumber) => number;
  onChoose: (tab: TabNumber, focus: boolean) => void;
}) {
  return (
    <div
      role="tablist"
      aria-label="Individrapportens flikar"
      className="ir-tabs"
      onKeyDown={(e: KeyboardEvent) => {
        const order = TABS.map((t) => t.tab);
        const at = order.indexOf(tab);
        const to =
          e.key === 'ArrowRight'
            ? order[(at + 1) % order.length]
            : e.key === 'ArrowLeft'
              ? order[(at - 1 + order.length) % order.length]
              : e.key === 'Home'
                ? order[0]
                : e.key === 'End'
                  ? order[order.length - 1]
                  : undefined;
        if (to !== undefined) {
          e.preventDefault();
          onChoose(to, true);
        }
      }}
    >
      {TABS.map((t) => {
        const count = countOf(t.tab);
        return (
          <button
            key={t.tab}
            type="button"
            role="tab"
            id={tabId(idPrefix, t.tab)}
            aria-selected={tab === t.tab}
            aria-controls={panelId(idPrefix, t.tab)}
            tabIndex={tab === t.tab ? 0 : -1}
            className="ir-tab"
            onClick={() => onChoose(t.tab, false)}
          >
            <span className="ir-tab-number">{t.tab}.</span> {t.label}
            {t.tab !== 5 && count > 0 && <span className="ir-tab-count"> ({count} att rätta)</span>}
          </button>
        );
      })}
    </div>
  );
}

/** "← 3. Individ" and "5. Summering →" under a tab's fields, like the e-tjänst's Bakåt/Framåt. */
export function TabSteps({
  tab,
  onChoose,
}: {
  tab: TabNumber;
  onChoose: (tab: TabNumber) => void;
}) {
  const previous = TABS.find((t) => t.tab === tab - 1);
  const next = TABS.find((t) => t.tab === tab + 1);
  return (
    <div className="actions ir-steps">
      {previous && (
        <button type="button" className="button-secondary" onClick={() => onChoose(previous.tab)}>
          ← {previous.tab}. {previous.label}
        </button>
      )}
      {next && (
        <button type="button" className="button-secondary" onClick={() => onChoose(next.tab)}>
          {next.tab}. {next.label} →
        </button>
      )}
    </div>
  );
}
