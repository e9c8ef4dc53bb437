/**
 * Sync push: sends the outbox to the hub in order, in batches, and settles
 * each answer in one SQLite transaction per batch. Whatever happens to the
 * request (timeout, dropped connection, crash), the rows stay until an answer
 * is stored, and a resend is answered `duplicate` with the first outcome.
 */
import type { Mutation, MutationResult } from '../../shared/protocol';
import type { Cache } from './cache';
import type { UnsendableRow } from './cache/repos/outbox';
import { CoreError } from './errors';
import { errorText, type HubClient } from './hub-client';
import type { Wording } from '../../shared/wording';
import { handledElsewhereWording, refusedWording, unsendableWording } from './notice-wording';

export const PUSH_BATCH = 500;
/** A mutation the hub keeps failing on (not the network) is set aside after this many tries, so it cannot block the rest. */
const MAX_ATTEMPTS = 5;

export interface PushResult {
  sent: number;
  caseIds: string[];
  /** Mentions whose convert or dismiss the hub answered. */
  mentionIds: string[];
}

export interface Pusher {
  /** Pushes until the outbox is empty; concurrent callers share one run. */
  push(): Promise<PushResult>;
}

type Settled = Exclude<MutationResult, { status: 'duplicate' }>;

const WHAT: Record<Mutation['kind'], string> = {
  'case.create': 'New case',
  'case.update': 'Change',
  'case.assign': 'Assignment',
  'case.note': 'Internal note',
  'message.send': 'Reply',
  'message.retry': 'Sending a reply again',
  'mention.convert': 'Converting a mention',
  'mention.dismiss': 'Dismissing a mention',
  'customer.consent': 'Consent change',
  'presence.set': 'Presence',
};

const isMentionKind = (kind: string): kind is 'mention.convert' | 'mention.dismiss' => kind === 'mention.convert' || kind === 'mention.dismiss';

/** The hub's reason for a refusal; a consent refusal says why (`detail`), as the composer would have. */
function refusalText(result: Extract<Settled, { status: 'rejected' }>): string {
  if (result.reason === 'consent') return `the consent rule refused it${result.detail ? ` (${result.detail})` : ''}`;
  return result.detail ? `${result.reason} (${result.detail})` : result.reason;
}

export function createPusher(cache: Cache, hub: Pick<HubClient, 'push'>, batchSize = PUSH_BATCH): Pusher {
  let running: Promise<PushResult> | null = null;

  /** The case a mutation is about, for its notice and the cases to refresh (a mention's: the one it joins). */
  function caseOf(mutation: { kind: string; entityId: string; payload?: unknown }): string | null {
    if (mutation.kind === 'presence.set' || mutation.kind === 'customer.consent') return null;
    if (mutation.kind === 'message.retry') return cache.messages.caseOf(mutation.entityId);
    if (isMentionKind(mutation.kind)) return (mutation.payload as { caseId?: string } | undefined)?.caseId ?? null;
    return mutation.entityId;
  }

  function subjectLabel(mutation: { kind: string; entityId: string; payload?: unknown }): string {
    if (mutation.kind === 'customer.consent') return cache.customers.byId(mutation.entityId)?.name ?? 'a customer';
    if (isMentionKind(mutation.kind)) {
      const mention = cache.mentions.byId(mutation.entityId);
      return mention ? `the post by ${mention.author}` : 'a mention';
    }
    const caseId = caseOf(mutation);
    return caseId ? caseLabel(caseId) : 'your account';
  }

  function caseLabel(id: string): string {
    const item = cache.cases.item(id);
    if (!item) return 'a case';
    return item.localOnly ? `new case “${item.subject}”` : `case #${item.number} “${item.subject}”`;
  }

  /** Stores the hub's answer; nothing the user typed is dropped (a refusal keeps it in a notice). */
  function settle(mutation: Mutation, answer: MutationResult): void {
    const result: Settled = answer.status === 'duplicate' ? answer.original : answer;
    const caseId = isMentionKind(mutation.kind) || mutation.kind === 'message.retry' ? null : caseOf(mutation);
    const overlays = mutation.kind === 'case.update' || mutation.kind === 'case.assign' || isMentionKind(mutation.kind);
    const refused = new Set<string>(result.status === 'conflict' ? result.conflicts.map((c) => c.field) : []);
    // The fields the hub took settle any older undecided conflict of theirs.
    const taken = mutation.kind === 'case.update' && result.status !== 'rejected' ? Object.keys(mutation.payload.fields).filter((f) => !refused.has(f)) : [];
    for (const field of taken) cache.conflicts.dropField(mutation.entityId, field);
    switch (result.status) {
      case 'applied':
      case 'merged':
        // Field changes stay laid over the case until the hub's row of that version arrives.
        if (overlays) cache.outbox.ack(mutation.id, result.version, mutation.payload);
        else cache.outbox.remove(mutation.id);
        break;
      case 'conflict': {
        if (isMentionKind(mutation.kind)) {
          // Someone else decided first (it was converted or dismissed meanwhile): the hub's row stands.
          setAside(mutation, `${WHAT[mutation.kind]} (${subjectLabel(mutation)}) was not applied: someone else had already handled it`, mutation, handledElsewhereWording(cache, mutation, caseOf(mutation)));
          break;
        }
        for (const c of result.conflicts) {
          cache.conflicts.add({ id: `${mutation.id}:${c.field}`, mutationId: mutation.id, caseId: mutation.entityId, field: c.field, yours: c.yours, theirs: c.theirs, hubVersion: result.version, createdAt: new Date().toISOString() });
        }
        // What the hub did take stays laid over the case like an applied change; the refused fields wait in the conflicts.
        if (taken.length > 0 && mutation.kind === 'case.update') {
          cache.outbox.ack(mutation.id, result.version, { fields: Object.fromEntries(taken.map((f) => [f, mutation.payload.fields[f as keyof typeof mutation.payload.fields]])) });
        } else cache.outbox.remove(mutation.id);
        break;
      }
      case 'rejected':
        setAside(mutation, `${WHAT[mutation.kind]} on ${subjectLabel(mutation)} was refused by the hub: ${refusalText(result)}`, mutation, refusedWording(cache, mutation, caseOf(mutation), result, refusalText(result)));
        break;
    }
    if (isMentionKind(mutation.kind)) {
      const hub = cache.mentions.baseById(mutation.entityId);
      if (hub) cache.outbox.pruneAcked(mutation.entityId, hub.version);
      cache.mentions.refresh(mutation.entityId);
    }
    if (caseId) {
      const hub = cache.cases.baseById(caseId);
      // The hub's row may already be here (a live event beat the answer).
      if (hub) cache.outbox.pruneAcked(caseId, hub.version);
      cache.cases.refresh(caseId);
    }
  }

  /** Out of the outbox and off the screen, into a notice that keeps all it carried. */
  function setAside(mutation: Pick<Mutation, 'id' | 'entityId'> & { kind: string; payload?: unknown }, text: string, detail: unknown = mutation, worded?: Wording): void {
    const caseId = caseOf(mutation);
    cache.notices.add({ id: mutation.id, kind: 'rejected', caseId, text, ...(worded ? { wording: worded } : {}), detail, createdAt: new Date().toISOString() });
    cache.outbox.remove(mutation.id);
    if (isMentionKind(mutation.kind)) cache.mentions.refresh(mutation.entityId);
    if (mutation.kind === 'message.retry') {
      // Shown as queued when it was made; it stays failed, with why.
      const reply = cache.messages.byId(mutation.entityId);
      if (reply?.delivery?.status === 'queued') cache.messages.upsert({ ...reply, delivery: { ...reply.delivery, status: 'failed', reason: text } }, reply.rev);
    }
    if (mutation.kind === 'case.note' || mutation.kind === 'message.send') cache.messages.remove(mutation.id, 0);
    if (mutation.kind === 'case.create') cache.cases.remove(mutation.entityId, 0);
  }

  /** A change queued under older, looser rules (or damaged) would be refused: it is set aside at once, whole, and the rest go on. */
  function setAsideUnsendable(rows: UnsendableRow[]): void {
    cache.transaction(() => {
      for (const row of rows) {
        const what = WHAT[row.kind as Mutation['kind']] ?? 'A change';
        const shape = { ...row, payload: row.detail.payload };
        setAside(shape, `${what} on ${subjectLabel(shape)} cannot be sent: it does not fit today's rules (${row.reason})`, row.detail, unsendableWording(cache, shape, caseOf(shape), row.reason));
        const caseId = caseOf(shape);
        if (caseId) cache.cases.refresh(caseId);
      }
    });
  }

  async function send(batch: Mutation[]): Promise<{ caseIds: string[]; mentionIds: string[] }> {
    const { results } = await hub.push(batch);
    const byId = new Map(results.map((r) => [r.id, r]));
    cache.transaction(() => {
      for (const mutation of batch) {
        const answer = byId.get(mutation.id);
        if (answer) settle(mutation, answer);
      }
    });
    return {
      caseIds: batch.flatMap((m) => {
        const caseId = caseOf(m);
        return caseId ? [caseId] : [];
      }),
      mentionIds: batch.flatMap((m) => (isMentionKind(m.kind) ? [m.entityId] : [])),
    };
  }

  async function pushAll(): Promise<PushResult> {
    let sent = 0;
    const caseIds = new Set<string>();
    const mentionIds = new Set<string>();
    for (;;) {
      const { ready: pending, unsendable } = cache.outbox.pending(batchSize);
      if (unsendable.length > 0) {
        setAsideUnsendable(unsendable);
        continue;
      }
      if (pending.length === 0) return { sent, caseIds: [...caseIds], mentionIds: [...mentionIds] };
      // A batch the hub failed on before goes one by one, to find the mutation that fails.
      const batch = pending[0]!.attempts > 0 ? pending.slice(0, 1) : pending;
      try {
        const done = await send(batch.map((p) => p.mutation));
        for (const id of done.caseIds) caseIds.add(id);
        for (const id of done.mentionIds) mentionIds.add(id);
        sent += batch.length;
      } catch (error) {
        // The hub itself failing on these mutations counts against them; anything else (the network, a hub
        // restarting, an expired session) leaves them untouched for the next try.
        if (!blamesTheBatch(error)) throw error;
        markFailed(batch, error);
      }
    }
  }

  /** The hub answered and the fault is in what was sent (or in the hub's handling of it), not in getting there. */
  function blamesTheBatch(error: unknown): boolean {
    if (!(error instanceof CoreError) || error.status === undefined) return false;
    return error.status === 400 || error.status === 413 || error.status === 422 || error.status === 500;
  }

  function markFailed(batch: { mutation: Mutation; attempts: number }[], error: unknown): void {
    cache.transaction(() => {
      for (const { mutation, attempts } of batch) {
        if (batch.length === 1 && attempts + 1 >= MAX_ATTEMPTS) setAside(mutation, `${WHAT[mutation.kind]} could not be applied by the hub after ${MAX_ATTEMPTS} tries: ${errorText(error)}`);
        else cache.outbox.failed(mutation.id, errorText(error));
      }
    });
  }

  return {
    push() {
      if (!running) {
        const run = pushAll().finally(() => {
          if (running === run) running = null;
        });
        running = run;
      }
      return running;
    },
  };
}
