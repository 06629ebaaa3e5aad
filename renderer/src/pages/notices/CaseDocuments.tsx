// A case's documents: issue the ones its status allows, and reprint what was issued.
import { App, Button, Space } from 'antd';
import { useRpcMutation } from '../../rpc';
import { errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { NoticeList } from './NoticeList';
import { openDocument, tellOutcome } from './pdf';

type IntakeDoc = 'acceptance' | 'supplement' | 'confirmation' | 'non-confirmation';
const AVAILABLE: Record<IntakeDoc, { label: string; statuses: string[] }> = {
  acceptance: {
    label: '出具受理通知书',
    statuses: [
      'accepted',
      'confirmed',
      'not_confirmed',
      'in_treatment',
      'awaiting_appraisal',
      'appraised',
      'benefits_determined',
      'closed',
    ],
  },
  supplement: { label: '出具一次性补正告知书', statuses: ['awaiting_supplement'] },
  confirmation: {
    label: '出具职业伤害确认结论书',
    statuses: ['confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'closed'],
  },
  'non-confirmation': { label: '出具不予确认结论书', statuses: ['not_confirmed'] },
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
  const types = (Object.keys(AVAILABLE) as IntakeDoc[]).filter(
    (t) => AVAILABLE[t].statuses.includes(c.status) && (t !== 'non-confirmation' || c.decision.article),
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {types.map((t) => (
          <Button key={t} onClick={() => void issue(t)}>
            {AVAILABLE[t].label}
          </Button>
        ))}
      </Space>
      <NoticeList caseId={c.id} />
    </Space>
  );
}
