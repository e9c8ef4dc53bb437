/**
 * How few statements a push costs, on both backends, counted through
 * drizzle's logger on the same connection: a supervisor's note is one look-up
 * (the ledger, the case read and locked, the message ids taken), the revs
 * drawn, and one write (the ledger and the note) — and what it wrote is what
 * the push answered; pushed again, it is a duplicate and writes nothing. On
 * embedded PGlite, which takes no rev lock, the revs come with the look-up,
 * and the commit with the write: three messages to its worker in all. On
 * Postgres the COMMIT is pipelined behind the write.
 */
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PGliteWorker } from '../../src/hub/db/pglite-proxy';
import { cases, messages, mutations, users } from '../../src/hub/db/schema';
import { loadDemo } from '../../src/hub/demo/load';
import { applyMutations } from '../../src/hub/repos/push';
import type { Actor } from '../../src/hub/repos/scope';
import { backends, countingStatements, databaseOf } from './backends';
import { wireLog } from './pg-wire';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(backends)('a push’s statements on $name', (backend) => {
  const database = databaseOf(backend);

  // Postgres draws under the rev lock, as late as it can: a statement of its own.
  const statementsOfANote = backend.name === 'pglite' ? 2 : 3;

  it('applies a note in a look-up, a draw of revs and one write; the same mutation again writes nothing', async () => {
    await loadDemo(database.db, pino({ level: 'silent' }));
    const [sam] = await database.db.select().from(users).where(eq(users.username, 'sam'));
    const actor: Actor = { id: sam!.id, name: sam!.name, role: 'supervisor', queueIds: [], sessionEpoch: sam!.sessionEpoch };
    const [target] = await database.db.select().from(cases).limit(1);
    const { db, statements } = countingStatements(database.db);
    const wire = wireLog();
    const sent = vi.spyOn(PGliteWorker.prototype as unknown as { request(message: { op: string; commit?: boolean }): Promise<unknown> }, 'request');
    const note = { id: uuidv7(), kind: 'case.note' as const, entityId: target!.id, baseVersion: target!.version, createdAt: new Date().toISOString(), payload: { body: 'counted' } };

    const [outcome] = await applyMutations(db, actor, [note]);
    expect(outcome).toMatchObject({ result: { status: 'applied' } });
    expect(statements, statements.join('\n')).toHaveLength(statementsOfANote);
    if (backend.name === 'pglite') expect(sent.mock.calls.map(([m]) => `${m.op}${m.commit ? '+commit' : ''}`)).toEqual(['begin', 'query', 'query+commit']);
    // On Postgres the COMMIT follows the write on the wire before the write is answered (pg-transaction.ts).
    else expect(wire.slice(-4)).toEqual(['sent:WITH w0 AS', 'sent:COMMIT', 'answered:WITH w0 AS', 'answered:COMMIT']);
    const [stored] = await database.db.select().from(messages).where(eq(messages.id, note.id));
    expect(stored).toMatchObject({ caseId: target!.id, direction: 'note', body: 'counted', author: sam!.name });
    expect(await database.db.select({ kind: mutations.kind, entityId: mutations.entityId }).from(mutations).where(eq(mutations.id, note.id))).toEqual([{ kind: 'case.note', entityId: target!.id }]);

    statements.length = 0;
    const [again] = await applyMutations(db, actor, [note]);
    expect(again).toMatchObject({ result: { status: 'duplicate' } });
    expect(statements, statements.join('\n')).toHaveLength(1);
    expect(await database.db.select({ id: messages.id }).from(messages).where(eq(messages.id, note.id))).toHaveLength(1);
  });
});
