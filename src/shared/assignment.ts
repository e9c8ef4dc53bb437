/**
 * Who may put a case in whose hands now lives in `policy.ts`, with the rest of
 * the domain policy; this module only keeps older imports working.
 */
export { type CaseActor as Assigner, mayOversee as assignsAnyone, refuseAssignment, refuseNewAssignee } from './policy';
