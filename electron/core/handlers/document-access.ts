// Who may take which document out of the store: documents follow their case (the role × data
// table, shared/cases/access.ts), and a print job belongs to the sign-in session that started it.
// Shared by the notice handlers (list, get, batch print) and the document handlers (open, print,
// save), so every way out checks the same thing.
import type { HandlerContext } from '../rpc-types';
import { requireUser } from '../rpc-types';
import type { PrintJobOwner } from '../notices/print-jobs';
import { NOT_YOUR_CASE, visibleCaseIds } from '../cases/case-access';
import { ApiError } from '../../../shared/api/errors';

/** Documents are seen by those who may see their case (documents of no case: by those who see all cases). */
export async function requireDocuments(ctx: HandlerContext, ids: string[]): Promise<void> {
  const visible = await visibleCaseIds(ctx.db, ctx.user);
  if (!visible) return;
  const rows = await ctx.db.selectFrom('issued_documents').select('case_id').where('id', 'in', ids).execute();
  if (rows.some((r) => !r.case_id || !visible.has(r.case_id))) throw new ApiError('FORBIDDEN', NOT_YOUR_CASE);
}

/** Print jobs belong to the sign-in session that started them. */
export function printOwner(ctx: HandlerContext): PrintJobOwner {
  const user = requireUser(ctx);
  if (!ctx.sessionTokenHash) throw new ApiError('UNAUTHENTICATED', '合并打印需要登录后办理');
  return { userId: user.id, sessionTokenHash: ctx.sessionTokenHash };
}
