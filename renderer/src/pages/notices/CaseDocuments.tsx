// A case's documents: issue the ones its status allows, and reprint what was issued.
import { App, Button, Space } from 'antd';
import { useRpcMutation } from '../../rpc';
import { errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { NoticeList } from './NoticeList';
import { openDocument, tellOutcome } from './pdf';
import { useRequestIds } from '../../request-id';
import { DeliveriesTable } from './DocumentActions';

type IntakeDoc = CaseDetail['issuableNotices'][number];
const LABELS: Record<IntakeDoc, string> = {
  acceptance: '出具受理通知书',
  supplement: '出具一次性补正告知书',
  confirmation: '出具职业伤害确认结论书',
  'non-confirmation': '出具不予确认结论书',
};

export function CaseDocuments({ c }: { c: CaseDetail }) {
  const noticesIssueForCase = useRpcMutation('notices.issueForCase');
  const { message } = App.useApp();
  const ids = useRequestIds();
  async function issue(type: IntakeDoc) {
    try {
      // One request id per button until it succeeds: a second click returns the same notice.
      const r = await noticesIssueForCase.mutateAsync({ caseId: c.id, type, requestId: ids.current(type) });
      ids.done(type);
      void message.success(r.repeated ? `已出具 ${r.documentNo}（重复点击，未重复出具）` : `已出具 ${r.documentNo}`);
      tellOutcome(message, await openDocument({ documentId: r.id }));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  // The core says which documents this person may issue now (status, role, and for a decision
  // notice: only the officer who decided the case).
  const types = c.issuableNotices;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {types.map((t) => (
          <Button key={t} onClick={() => void issue(t)}>
            {LABELS[t]}
          </Button>
        ))}
      </Space>
      <NoticeList caseId={c.id} actions={{ parties: c.parties, today: c.today }} />
      <DeliveriesTable caseId={c.id} />
    </Space>
  );
}
