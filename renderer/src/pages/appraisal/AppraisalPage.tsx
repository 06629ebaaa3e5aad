// 鉴定专场: cases ready for appraisal, and for each the panel draw. Sessions, grading at the
// table and sign-off are not built yet (see the appraisal issue).
import { Alert, Card, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { invoke } from '../../transport';
import { navigate } from '../../shell/useHashRoute';
import { CaseTable } from '../cases/CaseList';
import { CasePage } from '../cases/CasePage';
import { PanelDraw } from './PanelDraw';

export function AppraisalPage({ rest }: { rest: string[] }) {
  const ready = useQuery({ queryKey: ['cases.queue', 'treatment'], queryFn: () => invoke('cases.queue', { queue: 'treatment' }) });
  if (rest[0] === 'case' && rest[1]) {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <PanelDraw caseId={rest[1]} />
        <CasePage caseId={rest[1]} />
      </Space>
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message="鉴定专场的排期、现场评定与签发尚在建设中；目前可为已确认的案件随机抽取鉴定专家。" />
      <Card size="small" title="已确认、可安排鉴定的案件">
        <CaseTable rows={ready.data ?? []} loading={ready.isLoading} onOpen={(id) => navigate(`appraisal/case/${id}`)} />
      </Card>
    </Space>
  );
}
