/** The files that came with inbound messages: stored with the message, read back for a download from its case. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { attachments, cases, messages } from '../db/schema';
import { type Actor, caseScope } from './scope';

export interface NewAttachment {
  id: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

export async function insertAttachments(db: Db, messageId: string, files: NewAttachment[]): Promise<void> {
  await db.insert(attachments).values(files.map((file) => ({ ...file, messageId, size: file.content.length })));
}

export interface StoredAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The attachment of a message of this case, if the actor may see the case (else null, as if it did not exist). */
export async function findCaseAttachment(db: Db, actor: Actor, caseId: string, attachmentId: string): Promise<StoredAttachment | null> {
  const [row] = await db
    .select({ fileName: attachments.fileName, contentType: attachments.contentType, content: attachments.content })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(attachments.id, attachmentId), eq(cases.id, caseId), caseScope(actor)));
  return row ?? null;
}
