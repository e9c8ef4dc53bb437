/** The rules engine's interface for the hub: load (and watch) a brand's rules document, evaluate readings, messages and silence. */
import { fileURLToPath } from 'node:url';

export { compileRules, customerMatches, decideCase, emptyDeviceState, evaluateMessage, evaluateReading, evaluateSilence, firingNote, formatValue } from './engine';
export type { CustomerFacts, DeviceState, Firing, Reading, RuleMessage, RuleSet, RuleState, Sample } from './engine';
export { formatOf, loadRules } from './load';
export type { LoadResult, RulesFormat } from './load';
export { watchRules } from './watch';
export type { RulesWatcher, RulesWatcherOptions } from './watch';

/** The demo brand's document: the demo device rules, as data. */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL('./default-rules.yaml', import.meta.url));
