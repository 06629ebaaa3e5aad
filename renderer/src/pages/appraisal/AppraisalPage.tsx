// 鉴定专场: the sessions, planning a new one, and the cases waiting for appraisal with their
// panel draws.
import { App, Button, Card, Form, Input, Space, Table, Tabs } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import { navigate } from '../../shell/useHashRoute';
import type { SessionInfo } from '../../App';
import type { ApiInput } from '../../../../shared/api/contract';
import { CaseTable } from '../cases/CaseList';
import { CasePage } from '../cases/CasePage';
import { PanelDraw } from './PanelDraw';
import { APPRAISAL_KINDS, APPRAISAL_KIND_LABELS } from '../../../../shared/appraisal/enums';
import { AppraisalRequests } from './AppraisalRequests';
import { HearingPage } from './HearingPage';
import { HearingPackage } from './HearingPackage';
import { DateField } from '../../forms/DateField';
import { Choice } from '../../forms/Choice';

const KINDS = APPRAISAL_KINDS.map((value) => ({ value, label: APPRAISAL_KIND_LABELS[value] }));

export function AppraisalPage({ rest, session }: { rest: string[]; session: SessionInfo }) {
  if (rest[0] === 'hearing' && rest[1]) return <HearingPage hearingId={rest[1]} session={session} />;
  if (rest[0] === 'case' && rest[1]) {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <AppraisalRequests caseId={rest[1]} session={session} />
        <PanelDraw caseId={rest[1]} />
        <CasePage caseId={rest[1]} />
      </Space>
    );
  }
  return <AppraisalHome session={session} />;
}

function AppraisalHome({ session }: { session: SessionInfo }) {
  const hearingsCreate = useRpcMutation('hearings.create');
  const hearings = useRpcQuery('hearings.list', {});
  const waiting = useRpcQuery('cases.queue', { queue: 'appraisal' });
  const ready = useRpcQuery('cases.queue', { queue: 'treatment' });
  const [form] = Form.useForm<ApiInput<'hearings.create'>>();
  const { message } = App.useApp();
  async function create(v: ApiInput<'hearings.create'>) {
    try {
      const r = await hearingsCreate.mutateAsync(v);
      navigate(`appraisal/hearing/${r.id}`);
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Tabs
      items={[
        {
          key: 'sessions',
          label: '鉴定专场',
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              {session.user.roles.includes('appraisal_secretary') && (
                <Card size="small" title="新建专场">
                  <Form form={form} layout="inline" onFinish={(v) => void create(v)} initialValues={{ kind: 'initial' }}>
                    <Form.Item name="date" rules={[{ required: true, message: '请选择专场日期' }]}>
                      <DateField aria-label="专场日期" />
                    </Form.Item>
                    <Form.Item name="venue" rules={[{ required: true, message: '请填写地点' }]}>
                      <Input placeholder="地点" aria-label="专场地点" />
                    </Form.Item>
                    <Form.Item name="committee" rules={[{ required: true, message: '请填写鉴定委员会' }]}>
                      <Input placeholder="鉴定委员会" aria-label="鉴定委员会" />
                    </Form.Item>
                    <Form.Item name="kind">
                      <Choice options={KINDS} style={{ width: 120 }} aria-label="鉴定类型" />
                    </Form.Item>
                    <Form.Item>
                      <Button type="primary" htmlType="submit">
                        创建专场
                      </Button>
                    </Form.Item>
                  </Form>
                </Card>
              )}
              <Table
                rowKey="id"
                size="small"
                dataSource={hearings.data ?? []}
                locale={{ emptyText: '尚无鉴定专场' }}
                onRow={(r) => ({ onClick: () => navigate(`appraisal/hearing/${r.id}`), style: { cursor: 'pointer' } })}
                columns={[
                  { title: '专场编号', dataIndex: 'hearingNo' },
                  { title: '日期', dataIndex: 'date' },
                  { title: '地点', dataIndex: 'venue' },
                  { title: '类型', dataIndex: 'kind', render: (k: (typeof APPRAISAL_KINDS)[number]) => APPRAISAL_KIND_LABELS[k] },
                  { title: '案件数', dataIndex: 'cases' },
                ]}
              />
              <HearingPackage session={session} />
            </Space>
          ),
        },
        {
          key: 'waiting',
          label: `待鉴定（${waiting.data?.length ?? 0}）`,
          children: <CaseTable rows={waiting.data ?? []} loading={waiting.isLoading} onOpen={(id) => navigate(`appraisal/case/${id}`)} />,
        },
        {
          key: 'ready',
          label: '已确认、治疗中',
          children: <CaseTable rows={ready.data ?? []} loading={ready.isLoading} onOpen={(id) => navigate(`appraisal/case/${id}`)} />,
        },
      ]}
    />
  );
}
