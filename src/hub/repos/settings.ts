import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/connect';
import { settings } from '../db/schema';

export async function getSetting(db: Db, key: string): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value ?? null;
}

/**
 * A settings document stored as JSON (channel settings, the plan table): null when none is stored, or when
 * what is stored no longer passes today's schema (the caller's defaults then apply rather than failing).
 * `forUpdate` locks the row for a read-then-replace.
 */
export async function readSettingsDocument<S extends z.ZodType>(db: Db, key: string, schema: S, forUpdate = false): Promise<z.output<S> | null> {
  const query = db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  const [row] = forUpdate ? await query.for('update') : await query;
  return settingsDocumentOf(row?.value ?? null, schema);
}

/** A stored value as the document, by the same rule (for a value read with other things in one statement). */
export function settingsDocumentOf<S extends z.ZodType>(value: string | null, schema: S): z.output<S> | null {
  if (value === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Sets the value unless one exists; returns whichever won (several hubs may race). */
export async function getOrInitSetting(db: Db, key: string, value: string): Promise<string> {
  await db.insert(settings).values({ key, value }).onConflictDoNothing();
  return (await getSetting(db, key)) ?? value;
}

/** Replaces the value only while it is still `expected`; false when another writer changed it first. */
export async function replaceSetting(db: Db, key: string, expected: string, value: string): Promise<boolean> {
  const changed = await db
    .update(settings)
    .set({ value })
    .where(and(eq(settings.key, key), eq(settings.value, expected)))
    .returning({ key: settings.key });
  return changed.length > 0;
}
