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

export const PUSH_BATCH = 500;
/** A mutation the hub keeps failing on (not the network) is set aside after this many tries, so it cannot block the rest. */
const MAX_ATTEMPTS = 5;

export interface PushResult {
  sent: number;
  caseIds: string[];
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
  'presence.set': 'Presence',
};

export function createPusher(cache: Cache, hub: Pick<HubClient, 'push'>, batchSize = PUSH_BATCH): Pusher {
  let running: Promise<PushResult> | null = null;

  function caseLabel(id: string): string {
    const item = cache.cases.item(id);
    if (!item) return 'a case';
    return item.localOnly ? `new case “${item.subject}”` : `case #${item.number} “${item.subject}”`;
  }

  /** Stores the hub's answer; nothing the user typed is dropped (a refusal keeps it in a notice). */
  function settle(mutation: Mutation, answer: MutationResult): void {
    const result: Settled = answer.status === 'duplicate' ? answer.original : answer;
    const caseId = mutation.kind === 'presence.set' ? null : mutation.entityId;
    const overlays = mutation.kind === 'case.update' || mutation.kind === 'case.assign';
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
        setAside(mutation, `${WHAT[mutation.kind]} on ${caseId ? caseLabel(caseId) : 'your account'} was refused by the hub: ${result.reason}`);
        break;
    }
    if (caseId) {
      const hub = cache.cases.baseById(caseId);
      // The hub's row may already be here (a live event beat the answer).
      if (hub) cache.outbox.pruneAcked(caseId, hub.version);
      cache.cases.refresh(caseId);
    }
  }

  /** Out of the outbox and off the screen, into a notice that keeps all it carried. */
  function setAside(mutation: Pick<Mutation, 'id' | 'entityId'> & { kind: string }, text: string, detail: unknown = mutation): void {
    const caseId = mutation.kind === 'presence.set' ? null : mutation.entityId;
    cache.notices.add({ id: mutation.id, kind: 'rejected', caseId, text, detail, createdAt: new Date().toISOString() });
    cache.outbox.remove(mutation.id);
    if (mutation.kind === 'case.note' || mutation.kind === 'message.send') cache.messages.remove(mutation.id, 0);
    if (mutation.kind === 'case.create') cache.cases.remove(mutation.entityId, 0);
  }

  /** A change queued under older, looser rules (or damaged) would be refused: it is set aside at once, whole, and the rest go on. */
  function setAsideUnsendable(rows: UnsendableRow[]): void {
    cache.transaction(() => {
      for (const row of rows) {
        const what = WHAT[row.kind as Mutation['kind']] ?? 'A change';
        const where = row.kind === 'presence.set' ? 'your account' : caseLabel(row.entityId);
        setAside(row, `${what} on ${where} cannot be sent: it does not fit today's rules (${row.reason})`, row.detail);
        if (row.kind !== 'presence.set') cache.cases.refresh(row.entityId);
      }
    });
  }

  async function send(batch: Mutation[]): Promise<string[]> {
    const { results } = await hub.push(batch);
    const byId = new Map(results.map((r) => [r.id, r]));
    cache.transaction(() => {
      for (const mutation of batch) {
        const answer = byId.get(mutation.id);
        if (answer) settle(mutation, answer);
      }
    });
    return batch.flatMap((m) => (m.kind === 'presence.set' ? [] : [m.entityId]));
  }

  async function pushAll(): Promise<PushResult> {
    let sent = 0;
    const caseIds = new Set<string>();
    for (;;) {
      const { ready: pending, unsendable } = cache.outbox.pending(batchSize);
      if (unsendable.length > 0) {
        setAsideUnsendable(unsendable);
        continue;
      }
      if (pending.length === 0) return { sent, caseIds: [...caseIds] };
      // A batch the hub failed on before goes one by one, to find the mutation that fails.
      const batch = pending[0]!.attempts > 0 ? pending.slice(0, 1) : pending;
      try {
        for (const id of await send(batch.map((p) => p.mutation))) caseIds.add(id);
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
