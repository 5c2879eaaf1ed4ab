import { describe, expect, it } from 'vitest';
import { caseStatus } from './case-status';
import {
  calendarEntries,
  caseTasks,
  type DatedTask,
  dueReminders,
  inactiveReporterTask,
  isInactiveReporter,
  reminderKindsOf,
  reminderQuarters,
  reminderText,
  windowTasks,
} from './reminders';
import { decision, ev } from './testing/fixtures';

// Decided 2026-01-15: the call's window 2026-03-15 – 2026-03-29, the summary due 2026-04-15
// (a Wednesday), the message to the rapportör due 2026-04-16.
const waiting = decision('2026-01-15');

function statusOn(today: string, events = [] as ReturnType<typeof ev>[]) {
  return caseStatus(waiting, events, today);
}

describe('reminderKindsOf', () => {
  it('gives each role its own kinds of task and none to the administrator', () => {
    expect([...reminderKindsOf(['handlaggare'])]).toEqual(['uppfoljning', 'meddelande']);
    expect([...reminderKindsOf(['utforare', 'matchare'])]).toEqual(['sammanfattning']);
    expect([...reminderKindsOf(['rapportor'])]).toEqual(['fonster_oppnar', 'fonster_stanger']);
    expect([...reminderKindsOf(['huvudrapportor'])]).toContain('inaktiva_rapportorer');
    expect([...reminderKindsOf(['admin'])]).toEqual([]);
  });
});

describe('caseTasks and dueReminders', () => {
  const handlaggare = reminderKindsOf(['handlaggare']);
  const utforare = reminderKindsOf(['utforare']);

  it('counts the handläggare’s calls whose window opens within the horizon', () => {
    const tasks = caseTasks([statusOn('2026-03-10'), statusOn('2026-03-10')], handlaggare);
    expect(dueReminders(tasks, '2026-03-10', 7)).toEqual([
      { kind: 'uppfoljning', count: 2, overdue: 0, firstDate: '2026-03-29' },
    ]);
    // Four days ahead only: the window opens on the 15th, so nothing yet.
    expect(dueReminders(tasks, '2026-03-10', 4)).toEqual([]);
  });

  it('counts overdue calls as due and overdue, and the message when its day comes', () => {
    const tasks = caseTasks([statusOn('2026-04-16')], handlaggare);
    expect(dueReminders(tasks, '2026-04-16', 0)).toEqual([
      { kind: 'uppfoljning', count: 1, overdue: 1, firstDate: '2026-03-29' },
      { kind: 'meddelande', count: 1, overdue: 0, firstDate: '2026-04-16' },
    ]);
  });

  it('leaves out a call once made', () => {
    const called = ev({
      type: 'uppfoljning',
      date: '2026-03-16',
      kontakt: 'x',
      text: 'y',
    } as never);
    const tasks = caseTasks([statusOn('2026-03-20', [called])], handlaggare);
    expect(dueReminders(tasks, '2026-03-20', 7)).toEqual([]);
  });

  it('gives the utförare the summary, not the handläggare’s tasks', () => {
    const tasks = caseTasks([statusOn('2026-04-10')], utforare);
    expect(dueReminders(tasks, '2026-04-10', 7)).toEqual([
      { kind: 'sammanfattning', count: 1, overdue: 0, firstDate: '2026-04-15' },
    ]);
    expect(dueReminders(tasks, '2026-04-10', 3)).toEqual([]);
  });

  it('gives a decision executed after three months the message of its slutrapportering', () => {
    const done = ev({ type: 'verkstalld', date: '2026-05-04' } as never);
    const tasks = caseTasks([statusOn('2026-05-04', [done])], handlaggare);
    expect(tasks.map((t) => t.kind)).toEqual(['meddelande']);
    expect(dueReminders(tasks, '2026-05-04', 7)).toMatchObject([{ kind: 'meddelande', count: 1 }]);
  });

  it('gives an executed decision no tasks', () => {
    const done = ev({ type: 'verkstalld', date: '2026-02-01' } as never);
    expect(caseTasks([statusOn('2026-03-20', [done])], handlaggare)).toEqual([]);
  });
});

describe('window tasks', () => {
  const q4 = { year: 2026, quarter: 4 } as const;
  // Q4 2026's window: 2027-01-01 – 2027-01-31.
  const tasks = windowTasks([{ quarter: q4, lines: 12, unfiled: 5 }]);

  it('reminds of the opening within the horizon up to the day it opens', () => {
    expect(dueReminders(tasks, '2026-12-20', 7)).toEqual([]);
    expect(dueReminders(tasks, '2026-12-28', 7)).toEqual([
      { kind: 'fonster_oppnar', count: 12, overdue: 0, firstDate: '2027-01-01', quarter: q4 },
    ]);
    expect(dueReminders(tasks, '2027-01-02', 7)).toEqual([]);
  });

  it('reminds of unfiled lines in the window’s last week, whatever the horizon', () => {
    expect(dueReminders(tasks, '2027-01-23', 0)).toEqual([]);
    for (const day of ['2027-01-24', '2027-01-31']) {
      expect(dueReminders(tasks, day, 0)).toEqual([
        { kind: 'fonster_stanger', count: 5, overdue: 0, firstDate: '2027-01-31', quarter: q4 },
      ]);
    }
    expect(dueReminders(tasks, '2027-02-01', 30)).toEqual([]);
  });

  it('gives no closing task when everything is filed, and none for an empty period', () => {
    expect(windowTasks([{ quarter: q4, lines: 3, unfiled: 0 }]).map((t) => t.kind)).toEqual([
      'fonster_oppnar',
    ]);
    expect(windowTasks([{ quarter: q4, lines: 0, unfiled: 0 }])).toEqual([]);
  });

  it('looks at the last three quarters', () => {
    expect(reminderQuarters('2027-01-05')).toEqual([
      { year: 2026, quarter: 3 },
      { year: 2026, quarter: 4 },
      { year: 2027, quarter: 1 },
    ]);
  });
});

describe('inactive rapportörer', () => {
  it('counts a rapportör unused for 90 days', () => {
    expect(isInactiveReporter('2026-03-01', '2026-05-30')).toBe(true);
    expect(isInactiveReporter('2026-03-02', '2026-05-30')).toBe(false);
    expect(inactiveReporterTask(0, '2026-05-30')).toBeNull();
    const task = inactiveReporterTask(2, '2026-05-30')!;
    expect(dueReminders([task], '2026-05-30', 0)).toEqual([
      { kind: 'inaktiva_rapportorer', count: 2, overdue: 0, firstDate: '2026-05-30' },
    ]);
  });
});

describe('calendarEntries and reminderText', () => {
  it('groups the tasks per day and kind within the range', () => {
    const tasks: DatedTask[] = [
      { kind: 'uppfoljning', date: '2026-03-29' },
      { kind: 'uppfoljning', date: '2026-03-29' },
      { kind: 'sammanfattning', date: '2026-03-29' },
      { kind: 'uppfoljning', date: '2026-05-01' },
      { kind: 'uppfoljning', date: '2027-05-01' },
    ];
    expect(calendarEntries(tasks, '2026-01-01', '2026-12-31')).toEqual([
      { kind: 'uppfoljning', date: '2026-03-29', count: 2 },
      { kind: 'sammanfattning', date: '2026-03-29', count: 1 },
      { kind: 'uppfoljning', date: '2026-05-01', count: 1 },
    ]);
  });

  it('says a count and a kind of task in Swedish', () => {
    expect(reminderText({ kind: 'uppfoljning', count: 3 })).toBe('3 uppföljningssamtal att göra');
    expect(reminderText({ kind: 'meddelande', count: 1 })).toBe(
      '1 meddelande till rapportören att skicka',
    );
    expect(
      reminderText({ kind: 'fonster_stanger', count: 2, quarter: { year: 2026, quarter: 4 } }),
    ).toMatch(/^Rapporteringsperioden för .*2026.* stänger snart: 2 individrapporter/);
  });
});
