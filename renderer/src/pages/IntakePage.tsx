// 受理大厅: search every case, register a walk-in claim, and work the intake queue.
import { Button, Card, Space, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useRpcQuery } from '../rpc';
import { navigate } from '../shell/useHashRoute';
import { invoke } from '../transport';
import { CaseSearch, CaseTable } from './cases/CaseList';
import { RegistrationForm } from './cases/RegistrationForm';
import { ExportButton } from '../desk/ExportButton';
import { CasePage } from './cases/CasePage';

export function IntakePage({ rest }: { rest: string[] }) {
  if (rest[0] === 'new') return <RegistrationForm onRegistered={(id) => navigate(`intake/case/${id}`)} />;
  if (rest[0] === 'case' && rest[1]) return <CasePage caseId={rest[1]} />;
  return <IntakeHome />;
}

function IntakeHome() {
  const queue = useRpcQuery('cases.queue', { queue: 'intake' });
  const open = (id: string) => navigate(`intake/case/${id}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('intake/new')} title="Alt + N">
          新登记
        </Button>
        <ExportButton label="导出待受理队列" run={(format) => invoke('exports.queue', { format, queue: 'intake' })} />
      </Space>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'queue',
              label: `待受理（${queue.data?.length ?? 0}）`,
              children: <CaseTable rows={queue.data ?? []} loading={queue.isLoading} onOpen={open} />,
            },
            { key: 'search', label: '检索', children: <CaseSearch onOpen={open} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
