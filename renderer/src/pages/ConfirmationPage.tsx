// 职业伤害确认: accepted cases awaiting a decision, 小伤快办 first, with their clocks.
import { Card } from 'antd';
import { useRpcQuery } from '../rpc';
import { navigate } from '../shell/useHashRoute';
import { invoke } from '../transport';
import { CaseTable } from './cases/CaseList';
import { CasePage } from './cases/CasePage';
import { ExportButton } from '../desk/ExportButton';

export function ConfirmationPage({ rest }: { rest: string[] }) {
  const queue = useRpcQuery('cases.queue', { queue: 'confirmation' });
  if (rest[0] === 'case' && rest[1]) return <CasePage caseId={rest[1]} />;
  return (
    <Card
      size="small"
      title={`待确认（${queue.data?.length ?? 0}）`}
      extra={<ExportButton run={(format) => invoke('exports.queue', { format, queue: 'confirmation' })} />}
    >
      <CaseTable rows={queue.data ?? []} loading={queue.isLoading} onOpen={(id) => navigate(`confirmation/case/${id}`)} />
    </Card>
  );
}
