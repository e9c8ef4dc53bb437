/**
 * The live socket to the hub: validates each pushed row, applies it to the
 * cache reconciled by rev, reports the connection state, and asks for a pull
 * on every (re)connect — events missed while away come back only through the
 * sync cursor (socket.io's connection state recovery is best effort).
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import type { ConnectionState } from '../../shared/api';
import { type CaseWatch, type CaseWatchers, CaseRemovedSchema, CasesBatchSchema } from '../../shared/protocol';
import { type Alert, AlertSchema, CaseSchema, type Mention, MentionSchema, MessageSchema } from '../../shared/domain';
import { type AgentStats, AgentStatsSchema, type CallGone, CallGoneSchema, type CallOffered, CallOfferedSchema, type ConsoleToHubEvents, type HubToConsoleEvents, type PresenceUpdate, PresenceUpdateSchema, type QueueStats, QueueStatsSchema } from '../../shared/protocol';
import { type SlaAlert, SlaAlertSchema, type SlaSettings, SlaSettingsSchema, type SurgeAlert, SurgeAlertSchema } from '../../shared/protocol';
import { type ChannelSettings, ChannelSettingsAnswerSchema } from '../../shared/channel-settings';
import { type Offer, type OfferGone, OfferGoneSchema, OfferSchema } from '../../shared/routing';
import { type PlanEntitlements, PlansSettingsSchema } from '../../shared/entitlements';
import type { Cache } from './cache';
import { caseOfTheUser, noticeIfReassigned } from './reassignment';
import { followWatching } from './watching';


export interface LiveConnection {
  state(): ConnectionState;
  /** Collision detection: the case open here, told to the hub now and after each reconnect (src/main/core/watching.ts). */
  watch(next: CaseWatch): void;
  close(): void;
}

export interface LiveOptions {
  hubUrl: string;
  token: string;
  cache: Cache;
  /** Who is logged in, to explain their cases being reassigned away. */
  me(): string | null;
  /** Back from being offline and not caught up yet: events now are what happened meanwhile (socket.io replays them on recovery). */
  catchingUp(): boolean;
  onState(state: ConnectionState): void;
  /** A notice was written (a case of the user's reassigned away). */
  onNotice(): void;
  onCasesChanged(ids: string[]): void;
  onAlert(alert: Alert): void;
  /** A mention was stored or changed; `arrived`: it is a new post in the inbox. */
  onMention(mention: Mention, arrived: boolean): void;
  /** A call rings for this user (the hub sends it to their room only). */
  onCallOffered(offer: CallOffered): void;
  onCallGone(gone: CallGone): void;
  /** Someone's presence changed (the hub sends a user their own, and supervisors everyone's). */
  onPresence(update: PresenceUpdate): void;
  /** Queue statistics (supervisors and admins). */
  onQueueStats(stats: QueueStats[]): void;
  /** Agent statistics (supervisors and admins), with the queue statistics. */
  onAgentStats(stats: AgentStats[]): void;
  /** Every successful (re)connect: time to pull what was missed. */
  onConnected(): void;
  /** The hub says the user's queues or role changed: time to pull the new scope. */
  onScopeChanged(): void;
  /** The hub refused the token: the session is over. */
  onUnauthorized(): void;
  /** Who else is on the watched case (this user left out; empty while disconnected). */
  onWatchers(watchers: CaseWatchers): void;
  /** Arrivals on a channel or keyword far above the usual rate (supervisors and admins). */
  onSurge(alert: SurgeAlert): void;
  /** `sla:warning` / `sla:breach`: an SLA target of a case falls due soon or was missed (its assignee and those who oversee). */
  onSla?(alert: SlaAlert): void;
  /** An admin saved the channel settings (to every console). */
  onSettings(settings: ChannelSettings): void;
  /** What each plan includes, as an admin just saved it. */
  onPlans(plans: PlanEntitlements): void;
  /** An admin saved the SLA policies (the hub sends them to every console). */
  onSlaSettings?(settings: SlaSettings): void;
  /** Push routing offers this user a case (the hub sends it to their room only). */
  onOffer?(offer: Offer): void;
  /** An offer to this user is over (declined, lapsed, withdrawn). */
  onOfferGone?(gone: OfferGone): void;
  log(message: string): void;
}

export function connectLive(opts: LiveOptions): LiveConnection {
  let state: ConnectionState = 'offline';
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    opts.onState(state);
  };
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(opts.hubUrl, {
    auth: { token: opts.token },
    transports: ['websocket'],
    // Backoff with jitter so a hub restart is not met by every console at once.
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  });

  socket.on('connect', () => {
    setState('online');
    opts.onConnected();
  });
  socket.on('disconnect', (reason) => {
    setState(socket.active ? 'reconnecting' : 'offline');
    // The hub closed this socket on purpose (signed out, here or by an admin): socket.io does not retry
    // then, so try once — a handshake refused as unauthorized ends the session at once, not at the next sync.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    // A middleware refusal stops socket.io's retries (socket.active is false); a network error keeps them going.
    if (!socket.active && error.message === 'unauthorized') {
      setState('offline');
      opts.onUnauthorized();
      return;
    }
    setState(socket.active ? 'reconnecting' : 'offline');
  });

  function ingest<T>(event: string, schema: z.ZodType<T>, raw: unknown, apply: (row: T) => string | null): void {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return opts.log(`ignored malformed ${event}: ${z.prettifyError(parsed.error)}`);
    const changedCaseId = apply(parsed.data);
    if (changedCaseId) opts.onCasesChanged([changedCaseId]);
  }

  /** Applies a change to a case in one transaction with the notice it may call for. */
  function applyCase(id: string, rev: number, write: () => boolean): string | null {
    let noticed = false;
    const changed = opts.cache.transaction(() => {
      const before = caseOfTheUser(opts.cache, opts.me(), id);
      const done = write();
      if (done) noticed = noticeIfReassigned(opts.cache, opts.me(), before, rev, opts.catchingUp());
      return done;
    });
    if (noticed) opts.onNotice();
    return changed ? id : null;
  }

  socket.on('case:upsert', (raw) => ingest('case:upsert', CaseSchema, raw, (row) => applyCase(row.id, row.rev, () => opts.cache.apply('case', row, row.rev))));
  socket.on('message:upsert', (raw) =>
    ingest('message:upsert', MessageSchema, raw, (row) => (opts.cache.apply('message', row, row.rev) ? row.caseId : null)),
  );
  socket.on('case:removed', (raw) =>
    ingest('case:removed', CaseRemovedSchema, raw, ({ id, rev }) => applyCase(id, rev, () => opts.cache.remove('case', id, rev))),
  );
  // A bulk move: every row in one transaction, one cases:changed for them all.
  socket.on('cases:batch', (raw) => {
    const parsed = CasesBatchSchema.safeParse(raw);
    if (!parsed.success) return opts.log(`ignored malformed cases:batch: ${z.prettifyError(parsed.error)}`);
    const { cases, customers, devices, removed, messages } = parsed.data;
    const changed = opts.cache.transaction(() => {
      // What the cases name first: a case arriving with its customer needs no call back for it.
      for (const row of customers) opts.cache.apply('customer', row, row.rev);
      for (const row of devices) opts.cache.apply('device', row, row.rev);
      return [
        ...cases.map((row) => applyCase(row.id, row.rev, () => opts.cache.apply('case', row, row.rev))),
        ...removed.map(({ id, rev }) => applyCase(id, rev, () => opts.cache.remove('case', id, rev))),
        ...messages.map((row) => (opts.cache.apply('message', row, row.rev) ? row.caseId : null)),
      ];
    });
    const ids = [...new Set(changed.filter((id): id is string => id !== null))];
    if (ids.length > 0) opts.onCasesChanged(ids);
  });
  const mention = (event: 'mention:new' | 'mention:upsert') => (raw: unknown) => {
    const parsed = MentionSchema.safeParse(raw);
    if (!parsed.success) return opts.log(`ignored malformed ${event}: ${z.prettifyError(parsed.error)}`);
    // Rev-reconciled like every row: a repeat (socket.io recovery) or an older copy changes nothing and toasts nothing.
    if (opts.cache.apply('mention', parsed.data, parsed.data.rev)) opts.onMention(parsed.data, event === 'mention:new');
  };
  socket.on('mention:new', mention('mention:new'));
  socket.on('mention:upsert', mention('mention:upsert'));
  socket.on('call:offered', (raw) => {
    const parsed = CallOfferedSchema.safeParse(raw);
    if (parsed.success) opts.onCallOffered(parsed.data);
    else opts.log(`ignored malformed call:offered: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('call:gone', (raw) => {
    const parsed = CallGoneSchema.safeParse(raw);
    if (parsed.success) opts.onCallGone(parsed.data);
    else opts.log(`ignored malformed call:gone: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('queue:stats', (raw) => {
    const parsed = z.array(QueueStatsSchema).max(10_000).safeParse(raw);
    if (parsed.success) opts.onQueueStats(parsed.data);
    else opts.log(`ignored malformed queue:stats: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('agent:stats', (raw) => {
    const parsed = z.array(AgentStatsSchema).max(100_000).safeParse(raw);
    if (parsed.success) opts.onAgentStats(parsed.data);
    else opts.log(`ignored malformed agent:stats: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('scope:changed', () => opts.onScopeChanged());
  socket.on('presence:update', (raw) => {
    const parsed = PresenceUpdateSchema.safeParse(raw);
    if (parsed.success) opts.onPresence(parsed.data);
    else opts.log(`ignored malformed presence:update: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('device:alert', (raw) => {
    const parsed = AlertSchema.safeParse(raw);
    if (parsed.success) opts.onAlert(parsed.data);
    else opts.log(`ignored malformed device:alert: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('surge:alert', (raw) => {
    const parsed = SurgeAlertSchema.safeParse(raw);
    if (parsed.success) opts.onSurge(parsed.data);
    else opts.log(`ignored malformed surge:alert: ${z.prettifyError(parsed.error)}`);
  });

  for (const event of ['sla:warning', 'sla:breach'] as const) {
    socket.on(event, (raw) => {
      const parsed = SlaAlertSchema.safeParse(raw);
      if (parsed.success) opts.onSla?.(parsed.data);
      else opts.log(`ignored malformed ${event}: ${z.prettifyError(parsed.error)}`);
    });
  }

  socket.on('offer:new', (raw) => {
    const parsed = OfferSchema.safeParse(raw);
    if (parsed.success) opts.onOffer?.(parsed.data);
    else opts.log(`ignored malformed offer:new: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('offer:gone', (raw) => {
    const parsed = OfferGoneSchema.safeParse(raw);
    if (parsed.success) opts.onOfferGone?.(parsed.data);
    else opts.log(`ignored malformed offer:gone: ${z.prettifyError(parsed.error)}`);
  });

  socket.on('settings:changed', (raw) => {
    const parsed = ChannelSettingsAnswerSchema.safeParse(raw);
    if (parsed.success) opts.onSettings(parsed.data.channels);
    else opts.log(`ignored malformed settings:changed: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('plans:changed', (raw) => {
    const parsed = PlansSettingsSchema.safeParse(raw);
    if (parsed.success) opts.onPlans(parsed.data.entitlements);
    else opts.log(`ignored malformed plans:changed: ${z.prettifyError(parsed.error)}`);
  });
  socket.on('sla:changed', (raw) => {
    const parsed = SlaSettingsSchema.safeParse(raw);
    if (parsed.success) opts.onSlaSettings?.(parsed.data);
    else opts.log(`ignored malformed sla:changed: ${z.prettifyError(parsed.error)}`);
  });

  const watching = followWatching(socket, { me: opts.me, onWatchers: (w) => opts.onWatchers(w), log: opts.log });

  return {
    state: () => state,
    watch: (next) => watching.watch(next),
    close() {
      socket.removeAllListeners();
      socket.disconnect();
      setState('offline');
    },
  };
}
