// The calendar engine: grant or revoke a right on the calendar of every member of a group, in bulk. What its callers
// (the menu commands, recipe apply and verify, the command line, the benchmark) use; the parts stay inside.

export { calendarAccessRights, type CalendarAccessRight } from './calendarAccessRights';
export { runCalendarGrant, type CalendarGrantOptions } from './calendarGrants';
export { calendarGrantRequestKey, keptCalendarGrantJournal, type CalendarGrantJournal, type JournalStore, type KeptCalendarGrantJournal } from './calendarGrantJournal';
export type { PacerOptions } from './calendarGrantPacer';
export { calendarGrantSummaryMarkdown } from './calendarGrantReport';
export * from './calendarGrantTypes';
export { previewCalendarGrant, type CalendarGrantPreview } from './calendarGrantPreview';
