/**
 * The hub lock itself lives in the console core (`lockedHubUrl`, core/hub-lock.ts),
 * so every shell gets it from one place; the shells pass the policy's hub in
 * through `loadConsoleSettings`. `sameHub` stays exported here for callers of the policy.
 */
export { sameHub } from '../core/hub-lock';
