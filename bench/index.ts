/** `npm run bench`: prints figures against the targets; performance goals live here, never in unit tests. */
import { benchCacheQueue } from './cache-queue';
import { benchChannels } from './channels';
import { benchConsoleReconnect } from './console-reconnect';
import { benchDeviceAlert } from './device-alert';
import { benchHubSync } from './hub-sync';
import { benchFanoutFloor } from './fanout-floor';
import { benchLiveFanout } from './live-fanout';
import { benchLiveFanoutCluster } from './live-fanout-cluster';
import { benchTextAnalysis } from './text-analysis';

console.log(`Switchboard bench — node ${process.version}, ${new Date().toISOString()}`);
await benchCacheQueue();
await benchHubSync();
await benchFanoutFloor();
await benchLiveFanout();
await benchLiveFanoutCluster();
await benchConsoleReconnect();
await benchDeviceAlert();
await benchChannels();
await benchTextAnalysis();
