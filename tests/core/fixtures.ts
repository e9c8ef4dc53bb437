/** Temp data dirs and well-formed domain rows for console core tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from 'uuidv7';
import { CACHE_FILE } from '../../src/main/core/cache';
import { unlock } from '../../src/main/core/cache/database';
import { cacheKey } from '../../src/main/core/cache/key';
import type { Case, Customer, Message, Queue, User } from '../../src/shared/domain';
import { CaseSchema, CustomerSchema, MessageSchema, QueueSchema, UserSchema } from '../../src/shared/domain';

export async function tempDir(prefix = 'switchboard-core-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

const T0 = Date.parse('2026-01-10T08:00:00Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function aQueue(overrides: Partial<Queue> = {}): Queue {
  return QueueSchema.parse({ id: uuidv7(), name: 'Support', description: '', version: 1, rev: 1, createdAt: at(0), updatedAt: at(0), ...overrides });
}

export function aUser(overrides: Partial<User> = {}): User {
  return UserSchema.parse({ id: uuidv7(), username: 'ana', name: 'Ana Pereira', role: 'agent', ...overrides });
}

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return CustomerSchema.parse({
    id: uuidv7(),
    name: 'Jane Roe',
    email: 'jane@example.com',
    phone: null,
    handles: {},
    plan: 'basic',
    lifetimeValue: 100,
    influence: 10,
    language: 'en',
    preferredChannel: 'email',
    consent: true,
    version: 1,
    rev: 1,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  });
}

let nextNumber = 1000;
export function aCase(overrides: Partial<Case> & { queueId: string }): Case {
  return CaseSchema.parse({
    id: uuidv7(),
    number: nextNumber++,
    subject: 'Printer on fire',
    status: 'open',
    priority: 'normal',
    channel: 'email',
    customerId: null,
    deviceId: null,
    assigneeId: null,
    slaDueAt: null,
    language: 'en',
    sentiment: null,
    tags: [],
    resolution: null,
    parts: [],
    version: 1,
    rev: 1,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  });
}

export function aMessage(overrides: Partial<Message> & { caseId: string }): Message {
  return MessageSchema.parse({
    id: uuidv7(),
    direction: 'in',
    channel: 'email',
    author: 'Jane Roe',
    body: 'Hello',
    externalId: null,
    version: 1,
    rev: 1,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  });
}

/** The cache file of a data folder opened with its key, as the console opens it: for checks the API does not offer. */
export function openCacheFile(dataDir: string, opts: { readonly?: boolean } = {}): Database.Database {
  const file = join(dataDir, CACHE_FILE);
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: true });
  try {
    unlock(db, cacheKey(dataDir), file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
