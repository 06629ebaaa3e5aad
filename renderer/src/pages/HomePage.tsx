// The home page: who is signed in, and the cases whose statutory clocks are 临期 or 逾期 for
// the roles they hold, and the cases this person acted on most recently.
import { Card, Descriptions, Space, Table } from 'antd';
import type { SessionInfo } from '../App';
import { useRpcQuery } from '../rpc';
import { ROLE_LABELS } from '../../../shared/roles';
import { DeadlineTag, FastTrackTag, StatusTag } from '../format';
import { navigate } from '../shell/useHashRoute';
import { invoke } from '../transport';
import { rememberCaseList } from '../shell/case-navigation';
import { ExportButton } from '../desk/ExportButton';
import { listProps } from '../desk/virtual';
import { RequestInbox } from './cases/CaseRequests';
import { CaseTable } from './cases/CaseList';

const oneLine = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function HomePage({ session }: { session: SessionInfo }) {
  const work = useRpcQuery('cases.worklist', {}, { refetchInterval: 60_000 });
  const recent = useRpcQuery('cases.recent', { limit: 20 });
  const area =
    session.user.roles.includes('confirmation_officer') && !session.user.roles.includes('intake_clerk') ? 'confirmation' : 'intake';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={`您好，${session.user.displayName}`} size="small">
        <Descriptions column={3} size="small">
          <Descriptions.Item label="用户名">{session.user.username}</Descriptions.Item>
          <Descriptions.Item label="角色">{session.user.roles.map((r) => ROLE_LABELS[r]).join('、')}</Descriptions.Item>
          <Descriptions.Item label="空闲锁定">{session.idleLockMinutes} 分钟</Descriptions.Item>
        </Descriptions>
      </Card>
      <RequestInbox roles={session.user.roles} openCase={(caseId) => navigate(`${area}/case/${caseId}`)} />
      <Card
        title={`临期与逾期待办（${work.data?.length ?? 0}）`}
        size="small"
        extra={<ExportButton size="small" run={(format) => invoke('exports.worklist', { format })} />}
      >
        <Table
          rowKey={(r) => `${r.caseId}-${r.deadline.code}`}
          size="small"
          loading={work.isLoading}
          dataSource={work.data ?? []}
          locale={{ emptyText: '暂无临期或逾期的案件' }}
          {...listProps(work.data?.length ?? 0, 420, 1000)}
          onRow={(r) => ({
            onClick: () => {
              rememberCaseList([...new Set((work.data ?? []).map((w) => w.caseId))]);
              navigate(`${area}/case/${r.caseId}`);
            },
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: '期限',
              width: 160,
              defaultSortOrder: 'ascend',
              sorter: (a, b) => a.deadline.daysLeft - b.deadline.daysLeft,
              render: (_, r) => <DeadlineTag d={r.deadline} short />,
            },
            {
              title: '到期日',
              width: 105,
              onCell: oneLine,
              render: (_, r) => r.deadline.due,
              sorter: (a, b) => a.deadline.due.localeCompare(b.deadline.due),
            },
            {
              title: '事项',
              width: 220,
              ellipsis: { showTitle: true },
              render: (_, r) => r.deadline.label,
              sorter: (a, b) => a.deadline.label.localeCompare(b.deadline.label, 'zh-CN'),
            },
            {
              title: '受理编号／登记号',
              key: 'number',
              width: 170,
              onCell: oneLine,
              render: (_, r) => (
                <span title={`登记号 ${r.registrationNo}${r.caseNo ? `，受理编号 ${r.caseNo}` : ''}`}>{r.caseNo ?? r.registrationNo}</span>
              ),
              sorter: (a, b) => (a.caseNo ?? a.registrationNo).localeCompare(b.caseNo ?? b.registrationNo),
            },
            {
              title: '姓名',
              dataIndex: 'workerName',
              width: 90,
              onCell: oneLine,
              sorter: (a, b) => a.workerName.localeCompare(b.workerName, 'zh-CN'),
            },
            {
              title: '状态',
              render: (_, r) => (
                <Space size={4}>
                  <StatusTag status={r.status} />
                  <FastTrackTag on={r.fastTrack} />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title="我最近办理的案件" size="small">
        <CaseTable rows={recent.data ?? []} loading={recent.isLoading} onOpen={(id) => navigate(`${area}/case/${id}`)} />
      </Card>
    </Space>
  );
}
