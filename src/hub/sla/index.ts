/** The hub's SLA and entitlement module (README.md): what other hub modules import. */
export { type DueTimes, dueColumns, dueTimes, dueTimesOf } from './due';
export { routeByEntitlement, routingNote, termStart, writeRoutingNote } from './entitlement';
export { batchSlaReads, directSlaReads, openCaseSla, type OpenedCaseSla, type OpeningCase, type SlaReads } from './open';
export { type OpeningContext, openingContextColumns, openingContextOf, readSlaSettings, slaDocumentColumns, slaDocumentOf, type SlaSettingsSource, slaSettingsSource, writeSlaSettings } from './policies';
export { readPlanEntitlements, writePlanEntitlements } from './plans';
export { type CaseClockFacts, dueTimesAfterChange, dueTimesAfterChangeIn, type StatusChange, statusHistoryColumn, statusHistoryOf } from './pause';
export { dueTimesInQueue, type MovingCase } from './move';
