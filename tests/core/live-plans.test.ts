/**
 * `plans:changed` at the console core's live socket (a real socket.io server
 * standing in for the hub): a malformed table is ignored, said in the log, and
 * never reaches the cache; the valid one that follows it does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/main/core/cache';
import { connectLive, type LiveConnection } from '../../src/main/core/live';
import { DEFAULT_PLAN_ENTITLEMENTS, type PlanEntitlements } from '../../src/shared/entitlements';

describe('plans:changed at the console core', () => {
  const http = createServer();
  const io = new Server(http);
  let url: string;
  let live: LiveConnection | undefined;
  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    live?.close();
    await io.close();
  });

  it('ignores a malformed table, says so in the log, and takes the valid one after it', async () => {
    const valid: PlanEntitlements = { ...DEFAULT_PLAN_ENTITLEMENTS, basic: { kind: 'package' } };
    io.on('connection', (socket) => {
      socket.emit('plans:changed', { entitlements: { ...DEFAULT_PLAN_ENTITLEMENTS, basic: { kind: 'gold' } } });
      socket.emit('plans:changed', { entitlements: { ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident', incidentsPerTerm: 0 } } });
      socket.emit('plans:changed', { entitlements: valid });
    });
    const heard: PlanEntitlements[] = [];
    const logged: string[] = [];
    const none = () => undefined;
    await new Promise<void>((resolve) => {
      live = connectLive({
        hubUrl: url,
        token: 'token',
        cache: {} as Cache,
        me: () => null,
        catchingUp: () => false,
        onState: none,
        onNotice: none,
        onCasesChanged: none,
        onAlert: none,
        onMention: none,
        onCallOffered: none,
        onCallGone: none,
        onPresence: none,
        onQueueStats: none,
        onAgentStats: none,
        onConnected: none,
        onScopeChanged: none,
        onUnauthorized: none,
        onWatchers: none,
        onSurge: none,
        onSettings: none,
        // The valid table is sent last: once it is heard, the malformed ones before it have been handled.
        onPlans: (plans) => {
          heard.push(plans);
          resolve();
        },
        log: (message) => logged.push(message),
      });
    });
    expect(heard).toEqual([valid]);
    expect(logged.filter((line) => line.startsWith('ignored malformed plans:changed'))).toHaveLength(2);
  });
});
