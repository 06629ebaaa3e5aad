// A case's documents: issue the ones its status allows, and reprint what was issued.
import { App, Button, Space } from 'antd';
import { useRpcMutation } from '../../rpc';
import { errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { NoticeList } from './NoticeList';
import { openDocument, tellOutcome } from './pdf';

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
  async function issue(type: IntakeDoc) {
    try {
      const r = await noticesIssueForCase.mutateAsync({ caseId: c.id, type });
      void message.success(`已出具 ${r.documentNo}`);
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
      <NoticeList caseId={c.id} />
    </Space>
  );
}
