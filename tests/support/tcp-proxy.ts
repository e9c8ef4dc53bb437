/**
 * A loopback TCP proxy that tests put between a console and its hub to make
 * the network misbehave on cue: go offline, cut every connection, or cut one
 * in the middle of a transfer (after N bytes, or right after a given request
 * reached the hub and before its response gets back), or hold a request back
 * until the test lets it go. Plain bytes, no HTTP
 * parsing, so it carries socket.io's WebSocket as well as sync requests.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type Direction = 'toTarget' | 'toClient';

export interface Cut {
  /** Resolves when the cut happened (once). */
  fired: Promise<void>;
  /** Disarms the cut if it has not fired yet. */
  cancel(): void;
}

export interface Hold {
  /** Resolves when a request is being held (once). */
  holding: Promise<void>;
  /** Lets the held request (and what the client sent after it on that connection) through, or disarms the hold. */
  release(): void;
}

export interface TcpProxy {
  /** The target's URL with the proxy's host and port, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  readonly online: boolean;
  /** Offline: every open connection is reset and new ones are reset as soon as they arrive. */
  setOnline(online: boolean): void;
  /** Resets every open connection now; new ones still go through. */
  dropAll(): void;
  /**
   * Cuts the first connection that carries more than `bytes` bytes in
   * `direction`, counted from now (a kept-alive connection starts at 0 too):
   * exactly `bytes` are delivered, then the receiving side gets a FIN and the
   * other side is closed. One-shot; later transfers pass.
   */
  cutAfterBytes(bytes: number, direction: Direction): Cut;
  /**
   * Cuts the first connection on which the client sends `marker` (e.g.
   * `'POST /api/sync/push'`): the request still reaches the target in full,
   * and the connection is cut once `responseBytes` (default 0) bytes of the
   * answer have been delivered — with 0, the target has acted on the
   * request but the client never hears back. A response shorter than
   * `responseBytes` passes and the allowance carries over to the next one on
   * that connection. One-shot.
   */
  cutOnRequest(marker: string, opts?: { responseBytes?: number }): Cut;
  /**
   * Holds back the first request carrying `marker` once `pass` (default 0)
   * such requests have gone through: from the chunk holding the marker on,
   * nothing the client sends on that connection reaches the target until
   * release(). The client sees a slow hub, not an error. One-shot. The
   * marker must arrive in one chunk, as a request line written at once does.
   */
  holdRequest(marker: string, opts?: { pass?: number }): Hold;
  /** Connections open right now. */
  openConnections(): number;
  /** Connections accepted since start (including refused ones while offline). */
  acceptedConnections(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  target: Socket;
  /** The tail of what the client sent, to find a marker that spans chunks. */
  clientTail: string;
  /** Set once a cutOnRequest marker was seen here: how many response bytes may still pass. */
  responseAllowance: { bytes: number; rule: RequestRule } | null;
  /** Client bytes kept back by a holdRequest until its release. */
  held: Buffer[] | null;
}

interface RuleState {
  active: boolean;
  cancelled: boolean;
  done: () => void;
}
/** Bytes are counted per connection from the moment the rule is armed, so kept-alive connections start at 0 too. */
type BytesRule = RuleState & { kind: 'bytes'; bytes: number; direction: Direction; counted: WeakMap<Pair, number> };
type RequestRule = RuleState & { kind: 'request'; marker: string; responseBytes: number };
type Rule = BytesRule | RequestRule;

/** `done` fires when a request starts being held. */
type HoldRule = RuleState & { marker: string; pass: number; pair: Pair | null };

export async function startTcpProxy(target: string | number): Promise<TcpProxy> {
  const targetUrl = typeof target === 'number' ? new URL(`http://127.0.0.1:${target}`) : new URL(target);
  const targetHost = targetUrl.hostname.replace(/^\[|\]$/g, '');
  const targetPort = Number(targetUrl.port || (targetUrl.protocol === 'https:' ? 443 : 80));

  /** Live connections; a pair leaves the set the moment something ends it. */
  const pairs = new Set<Pair>();
  const rules: Rule[] = [];
  const holds: HoldRule[] = [];
  let online = true;
  let accepted = 0;

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    if (!online) {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, target: connect({ host: targetHost, port: targetPort, allowHalfOpen: true }), clientTail: '', responseAllowance: null, held: null };
    pairs.add(pair);
    relay(pair, 'toTarget');
    relay(pair, 'toClient');
    // One side closing ends the pair, unless a cut or a drop already took it over.
    const forget = () => {
      if (!pairs.delete(pair)) return;
      pair.client.destroy();
      pair.target.destroy();
    };
    client.once('close', forget);
    pair.target.once('close', forget);
    // A reset or a refused target shows up as the other side's connection closing.
    client.on('error', () => undefined);
    pair.target.on('error', () => undefined);
  });

  function relay(pair: Pair, direction: Direction): void {
    const from = direction === 'toTarget' ? pair.client : pair.target;
    const to = direction === 'toTarget' ? pair.target : pair.client;
    from.on('data', (chunk: Buffer) => {
      if (!pairs.has(pair)) return;
      if (direction === 'toTarget' && (pair.held ?? holdFrom(pair, chunk))) {
        pair.held!.push(chunk);
        return;
      }
      const stop = cutPoint(pair, direction, chunk);
      const passed = stop === null ? chunk : chunk.subarray(0, stop.bytes);
      if (passed.length > 0 && !to.write(passed)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
      if (stop !== null) cut(pair, to, stop.rule);
    });
    from.on('end', () => {
      if (pairs.has(pair)) to.end();
    });
  }

  /** True when this chunk starts a held request (a marker seen after its `pass` earlier ones). */
  function holdFrom(pair: Pair, chunk: Buffer): boolean {
    if (!holds.some((h) => h.active)) return false;
    const text = chunk.toString('latin1');
    const hold = holds.find((h) => h.active && text.includes(h.marker));
    if (!hold) return false;
    if (hold.pass-- > 0) return false;
    hold.active = false;
    hold.pair = pair;
    pair.held = [];
    hold.done();
    return true;
  }

  /** Where in this chunk an armed rule cuts the pair; null = the whole chunk passes. */
  function cutPoint(pair: Pair, direction: Direction, chunk: Buffer): { bytes: number; rule: Rule } | null {
    if (direction === 'toTarget') watchForMarker(pair, chunk);
    const waiting = pair.responseAllowance;
    if (direction === 'toClient' && waiting && !waiting.rule.cancelled) {
      if (chunk.length >= waiting.bytes) return waiting;
      waiting.bytes -= chunk.length;
      return null;
    }
    const armed = rules.filter((r): r is BytesRule => r.kind === 'bytes' && r.active && r.direction === direction);
    for (const rule of armed) {
      const left = rule.bytes - (rule.counted.get(pair) ?? 0);
      if (chunk.length > left) return { bytes: left, rule };
    }
    for (const rule of armed) rule.counted.set(pair, (rule.counted.get(pair) ?? 0) + chunk.length);
    return null;
  }

  function watchForMarker(pair: Pair, chunk: Buffer): void {
    if (pair.responseAllowance) return;
    const armed = rules.filter((r): r is RequestRule => r.kind === 'request' && r.active);
    if (armed.length === 0) return;
    const seen = pair.clientTail + chunk.toString('latin1');
    const rule = armed.find((r) => seen.includes(r.marker));
    if (rule) {
      // Claimed by this connection now, so no other connection fires the same one-shot rule.
      rule.active = false;
      pair.responseAllowance = { bytes: rule.responseBytes, rule };
      return;
    }
    const longest = Math.max(...armed.map((r) => r.marker.length));
    pair.clientTail = seen.slice(-longest);
  }

  /** The receiving side gets exactly the bytes allowed (flushed, then FIN); the other side is closed at once. */
  function cut(pair: Pair, receiver: Socket, rule: Rule): void {
    rule.active = false;
    pairs.delete(pair);
    const other = receiver === pair.client ? pair.target : pair.client;
    other.destroy();
    receiver.end(() => receiver.destroy());
    rule.done();
  }

  function arm(rule: Rule, fired: Promise<void>): Cut {
    rules.push(rule);
    return {
      fired,
      cancel: () => {
        rule.active = false;
        rule.cancelled = true;
      },
    };
  }

  /** The common part of a rule: armed, and a promise its cut resolves. */
  function ruleState(): { state: RuleState; fired: Promise<void> } {
    let done!: () => void;
    const fired = new Promise<void>((resolve) => (done = resolve));
    return { state: { active: true, cancelled: false, done }, fired };
  }

  function dropAll(): void {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      pair.client.resetAndDestroy();
      pair.target.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy is not listening on a TCP port');
  const url = new URL(targetUrl.href);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    url: url.pathname === '/' ? url.origin : url.href,
    port: address.port,
    get online() {
      return online;
    },
    setOnline(next) {
      online = next;
      if (!online) dropAll();
    },
    dropAll,
    cutAfterBytes(bytes, direction) {
      if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`bytes must be a whole number ≥ 0, got ${bytes}`);
      const { state, fired } = ruleState();
      return arm({ ...state, kind: 'bytes', bytes, direction, counted: new WeakMap() }, fired);
    },
    cutOnRequest(marker, opts = {}) {
      const responseBytes = opts.responseBytes ?? 0;
      if (marker === '') throw new Error('the marker must not be empty');
      if (!Number.isInteger(responseBytes) || responseBytes < 0) throw new Error(`responseBytes must be a whole number ≥ 0, got ${responseBytes}`);
      const { state, fired } = ruleState();
      return arm({ ...state, kind: 'request', marker, responseBytes }, fired);
    },
    holdRequest(marker, opts = {}) {
      const pass = opts.pass ?? 0;
      if (marker === '') throw new Error('the marker must not be empty');
      if (!Number.isInteger(pass) || pass < 0) throw new Error(`pass must be a whole number ≥ 0, got ${pass}`);
      const { state, fired } = ruleState();
      const hold: HoldRule = { ...state, marker, pass, pair: null };
      holds.push(hold);
      return {
        holding: fired,
        release() {
          hold.active = false;
          const pair = hold.pair;
          if (!pair?.held) return;
          const kept = pair.held;
          pair.held = null;
          if (pairs.has(pair)) for (const chunk of kept) pair.target.write(chunk);
        },
      };
    },
    openConnections: () => pairs.size,
    acceptedConnections: () => accepted,
    close() {
      online = false;
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
