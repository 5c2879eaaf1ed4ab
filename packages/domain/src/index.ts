/**
 * @evb/domain: the rules of ej verkställda beslut, shared by the server and the PWA so that a phone
 * offline shows the same deadlines the server computes. Pure: no I/O.
 */
export * from './account-rules';
export * from './calendar/dates';
export * from './calendar/holidays';
export * from './calendar/quarters';
export * from './calendar/working-days';
export * from './case-status';
export * from './case-system-import';
export * from './codes/avslut';
export * from './codes/insatser';
export * from './codes/law';
export * from './codes/roles';
export * from './codes/skal';
export * from './codes/verksamhetsomraden';
export * from './errors';
export * from './filing-import';
export * from './identity';
export * from './individrapport';
export * from './individrapport-filing';
export * from './individrapport-prefill';
export * from './log-review';
export * from './makulering';
export * from './matching';
export * from './messages';
export * from './new-event';
export * from './offered-event-types';
export * from './own-deadlines';
export * from './quarter-report';
export * from './reminders';
export * from './report-type';
export * from './risk';
export * from './schemas';
export * from './statistics';
export * from './sync-window';
export * from './sync-wire';
export * from './timeline';
