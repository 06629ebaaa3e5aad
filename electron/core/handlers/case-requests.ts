// Handlers of the notes and requests to a case's holder (../cases/case-requests.ts). The
// dispatcher validates, checks roles, audits and sends; the case's visibility is checked here.
import { requireUser, type Handlers } from '../rpc-types';
import { requireCase, visibleCaseIds } from '../cases/case-access';
import { answerRequest, createRequest, listRequests, requestCaseId } from '../cases/case-requests';

type CaseRequestHandlers = Pick<Handlers, 'caseRequests.create' | 'caseRequests.list' | 'caseRequests.answer'>;

export const caseRequestHandlers: CaseRequestHandlers = {
  async 'caseRequests.create'(input, ctx) {
    const user = requireUser(ctx);
    await requireCase(ctx.db, user, input.caseId);
    const r = await createRequest(ctx.db, ctx.clock, user.id, input);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: r.summary });
    return { id: r.id };
  },

  async 'caseRequests.list'(input, ctx) {
    const user = requireUser(ctx);
    if (input.caseId) await requireCase(ctx.db, user, input.caseId);
    return listRequests(ctx.db, { caseId: input.caseId, show: input.show, visible: await visibleCaseIds(ctx.db, user) });
  },

  async 'caseRequests.answer'(input, ctx) {
    const user = requireUser(ctx);
    await requireCase(ctx.db, user, await requestCaseId(ctx.db, input.id));
    const r = await answerRequest(ctx.db, ctx.clock, user.id, input.id, input.answer);
    ctx.note({ entity: 'case', entityId: r.caseId, summary: r.summary });
    return { ok: true as const };
  },
};
