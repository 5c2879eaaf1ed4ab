import { formatSwedishDate, type IsoDate } from '@evb/domain';

/** "i dag 14:05", "i går 09:12" or "12 nov. 14:05", in Swedish time. */
export function formatTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  const time = at.toLocaleTimeString('sv-SE', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    minute: '2-digit',
  });
  if (day(at) === day(now)) return `i dag ${time}`;
  if (day(at) === day(new Date(now.getTime() - 86_400_000))) return `i går ${time}`;
  return `${at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short' })} ${time}`;
}

export function formatDate(date: IsoDate): string {
  return formatSwedishDate(date);
}

/** "1 dag", "45 dagar". */
export function days(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'dag' : 'dagar'}`;
}

/** How far away a deadline is: "i dag", "om 3 dagar", "3 dagar försenad". */
export function dueText(daysLeft: number): string {
  if (daysLeft === 0) return 'i dag';
  return daysLeft > 0 ? `om ${days(daysLeft)}` : `${days(-daysLeft)} försenad`;
}
