/** `npm run bench`: prints figures against the targets; performance goals live here, never in unit tests. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchCacheQueue } from './cache-queue';
import { benchChannels } from './channels';
import { benchConsoleBootstrap } from './console-bootstrap';
import { benchConsoleReconnect } from './console-reconnect';
import { benchDeviceAlert } from './device-alert';
import { benchHubSync } from './hub-sync';
import { benchFanoutFloor } from './fanout-floor';
import { benchLiveFanout } from './live-fanout';
import { benchLiveFanoutCluster } from './live-fanout-cluster';
import { benchReassign } from './reassign';
import { benchRouting } from './routing';
import { benchRules } from './rules';
import { benchTextAnalysis } from './text-analysis';

/**
 * A full collection before each part, so a part run after others does not pay for their garbage (a major GC of
 * the channels part's leftovers landed in the routing part's timed rounds: p99 11–20 ms in the whole run, 7–8
 * ms alone). Node's `gc`, exposed for this process only.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** `npm run bench -- reassign channels` runs only the named parts. */
const PARTS: Record<string, () => Promise<void>> = {
  cache: benchCacheQueue,
  sync: benchHubSync,
  'fanout-floor': benchFanoutFloor,
  fanout: benchLiveFanout,
  'fanout-cluster': benchLiveFanoutCluster,
  reconnect: benchConsoleReconnect,
  bootstrap: benchConsoleBootstrap,
  'device-alert': benchDeviceAlert,
  channels: benchChannels,
  reassign: benchReassign,
  text: benchTextAnalysis,
  rules: benchRules,
  routing: benchRouting,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in PARTS));
if (unknown.length > 0) throw new Error(`no bench part ${unknown.join(', ')}; the parts: ${Object.keys(PARTS).join(', ')}`);

console.log(`Switchboard bench — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(PARTS)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  collectGarbage();
  await run();
}
