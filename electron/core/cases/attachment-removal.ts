// Removing a scan uploaded by mistake: the attachment row stays (it is append-only and may already
// be at the centre); a removal row, the tombstone that travels by sync, hides it on every device.
// The encrypted file is deleted only after the removal commits, and only when no other live
// attachment row names the same stored file (the same scan uploaded twice is stored once).
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';

type Db = Kysely<Database>;

export async function removedAttachmentIds(db: Db, caseId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('attachment_removals').select('attachment_id').where('case_id', '=', caseId).execute();
  return new Set(rows.map((r) => r.attachment_id));
}

export async function isRemoved(db: Db, attachmentId: string): Promise<boolean> {
  return (
    (await db.selectFrom('attachment_removals').select('attachment_id').where('attachment_id', '=', attachmentId).executeTakeFirst()) !==
    undefined
  );
}

/** Records the removal; returns the row and the stored file to delete once the removal has committed (null: still in use). */
export async function removeAttachment(
  db: Db,
  clock: Clock,
  user: User,
  attachmentId: string,
  reason: string,
): Promise<{ caseId: string; filename: string; fileToDelete: string | null }> {
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', attachmentId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '附件不存在，请刷新案件后重试');
  if (await isRemoved(db, attachmentId)) throw new ApiError('CONFLICT', '该附件已被删除，请刷新案件');
  await db
    .insertInto('attachment_removals')
    .values({
      attachment_id: attachmentId,
      case_id: row.case_id,
      reason,
      removed_by: user.id,
      removed_by_name: user.displayName,
      removed_at: chinaInstant(clock.now()),
    })
    .execute();
  const stillUsed = await db
    .selectFrom('attachments')
    .select('id')
    .where('stored_path', '=', row.stored_path)
    .where('id', '!=', attachmentId)
    .where('id', 'not in', db.selectFrom('attachment_removals').select('attachment_id'))
    .executeTakeFirst();
  return { caseId: row.case_id, filename: row.filename, fileToDelete: stillUsed ? null : row.stored_path };
}

/** Deletes the encrypted file after the removal committed; a file already gone is fine. */
export function deleteStoredFile(dataDir: string, rel: string): void {
  fs.rmSync(path.join(dataDir, rel), { force: true });
}
