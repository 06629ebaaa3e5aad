// 职业伤害确认: accepted cases awaiting a decision, 小伤快办 first, with their clocks.
import { Card } from 'antd';
import { useRpcQuery } from '../rpc';
import { navigate } from '../shell/useHashRoute';
import { CaseTable } from './cases/CaseList';
import { CasePage } from './cases/CasePage';
import type { SessionInfo } from '../App';

export function ConfirmationPage({ rest, session }: { rest: string[]; session?: SessionInfo }) {
  const queue = useRpcQuery('cases.queue', { queue: 'confirmation' });
  if (rest[0] === 'case' && rest[1]) return <CasePage caseId={rest[1]} session={session} />;
  return (
    <Card size="small" title={`待确认（${queue.data?.length ?? 0}）`}>
      <CaseTable rows={queue.data ?? []} loading={queue.isLoading} onOpen={(id) => navigate(`confirmation/case/${id}`)} />
    </Card>
  );
}
