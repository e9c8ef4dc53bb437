/**
 * The console's side of collision detection, on a stand-in socket: the open
 * case is told to the hub while connected and again after each reconnect
 * (never replayed from a buffer), lists are validated, this user left out,
 * lists of another case dropped, and an empty list said on a disconnect.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { CaseWatchers } from '../../src/shared/protocol';
import { followWatching } from '../../src/main/core/watching';

const CASE = '01900000-0000-7000-8000-000000000001';
const OTHER = '01900000-0000-7000-8000-000000000002';

/** Emits to the hub are recorded; `hub(...)` plays an event from it. */
function standInSocket() {
  const local = new EventEmitter();
  const sent: unknown[] = [];
  const socket = {
    connected: false,
    on: (event: string, listener: (...args: unknown[]) => void) => local.on(event, listener),
    emit: (event: string, payload: unknown) => sent.push([event, payload]),
  };
  return {
    socket: socket as unknown as Socket,
    sent,
    connect() {
      socket.connected = true;
      local.emit('connect');
    },
    disconnect() {
      socket.connected = false;
      local.emit('disconnect', 'transport close');
    },
    hub: (event: string, payload: unknown) => local.emit(event, payload),
  };
}

describe('followWatching', () => {
  it('tells the hub the open case while connected, again after a reconnect, and nothing buffered', () => {
    const s = standInSocket();
    const heard: CaseWatchers[] = [];
    const watching = followWatching(s.socket, { me: () => 'me', onWatchers: (w) => heard.push(w), log: () => undefined });
    watching.watch({ caseId: CASE, mode: 'viewing' });
    expect(s.sent).toEqual([]);
    s.connect();
    expect(s.sent).toEqual([['case:watch', { caseId: CASE, mode: 'viewing' }]]);
    watching.watch({ caseId: CASE, mode: 'viewing' });
    expect(s.sent).toHaveLength(1);
    watching.watch({ caseId: CASE, mode: 'replying' });
    expect(s.sent.at(-1)).toEqual(['case:watch', { caseId: CASE, mode: 'replying' }]);

    s.disconnect();
    expect(heard.at(-1)).toEqual({ caseId: CASE, watchers: [] });
    s.connect();
    expect(s.sent.at(-1)).toEqual(['case:watch', { caseId: CASE, mode: 'replying' }]);
    expect(s.sent).toHaveLength(3);

    // Closed: the hub is told once, and a reconnect says nothing.
    watching.watch({ caseId: null, mode: 'viewing' });
    s.disconnect();
    s.connect();
    expect(s.sent).toEqual([
      ['case:watch', { caseId: CASE, mode: 'viewing' }],
      ['case:watch', { caseId: CASE, mode: 'replying' }],
      ['case:watch', { caseId: CASE, mode: 'replying' }],
      ['case:watch', { caseId: null, mode: 'viewing' }],
    ]);
  });

  it('passes on valid lists of the open case without this user', () => {
    const s = standInSocket();
    const heard: CaseWatchers[] = [];
    const logged: string[] = [];
    const watching = followWatching(s.socket, { me: () => 'me', onWatchers: (w) => heard.push(w), log: (m) => logged.push(m) });
    s.connect();
    watching.watch({ caseId: CASE, mode: 'viewing' });
    const since = new Date().toISOString();
    s.hub('case:watchers', {
      caseId: CASE,
      watchers: [
        { userId: 'bo', name: 'Bo', mode: 'replying', since },
        { userId: 'me', name: 'Me', mode: 'viewing', since },
      ],
    });
    s.hub('case:watchers', { caseId: OTHER, watchers: [] });
    s.hub('case:watchers', { caseId: CASE, watchers: [{ userId: 'bo', mode: 'typing' }] });
    expect(heard).toEqual([{ caseId: CASE, watchers: [{ userId: 'bo', name: 'Bo', mode: 'replying', since }] }]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('ignored malformed case:watchers');
  });
});
