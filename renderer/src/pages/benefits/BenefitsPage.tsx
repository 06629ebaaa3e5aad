// 待遇核定: cases with a signed conclusion (or a confirmed death), the determination with every
// line and formula, the review by a second person, and the 待遇核定通知书.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import { navigate } from '../../shell/useHashRoute';
import type { SessionInfo } from '../../App';
import type { ApiOutput } from '../../../../shared/api/contract';
import { CaseTable } from '../cases/CaseList';
import { openDocument, tellOutcome } from '../notices/pdf';
import { STATUS_LABELS } from '../../../../shared/cases/lifecycle';
import { DETERMINATION_STATUS_LABELS } from '../../../../shared/appraisal/enums';
import { PAYER_LABELS, PERIOD_LABELS, type BenefitLine } from '../../../../shared/rules/benefit-result';

type Determination = ApiOutput<'determinations.list'>[number];
type Line = Pick<BenefitLine, 'code' | 'label' | 'amount' | 'payer' | 'period' | 'article' | 'formula'>;

export function BenefitsPage({ rest, session }: { rest: string[]; session: SessionInfo }) {
  const queue = useRpcQuery('cases.queue', { queue: 'benefits' });
  if (rest[0] === 'case' && rest[1]) return <DeterminationPanel caseId={rest[1]} session={session} />;
  return (
    <Card size="small" title="待核定（已鉴定或已确认）">
      <CaseTable rows={queue.data ?? []} loading={queue.isLoading} onOpen={(id) => navigate(`benefits/case/${id}`)} />
    </Card>
  );
}

function DeterminationPanel({ caseId, session }: { caseId: string; session: SessionInfo }) {
  const determinationsIssueNotice = useRpcMutation('determinations.issueNotice');
  const determinationsPrepare = useRpcMutation('determinations.prepare');
  const determinationsReview = useRpcMutation('determinations.review');
  const { message } = App.useApp();
  const list = useRpcQuery('determinations.list', { caseId });
  const c = useRpcQuery('cases.get', { caseId });
  const [form] = Form.useForm<{ city: string; wage: string; minimum: string; income: string }>();
  const [reason, setReason] = useState('');
  const isOfficer = session.user.roles.includes('benefit_officer');
  const isReviewer = session.user.roles.includes('benefit_reviewer');

  async function prepare(v: { city: string; wage: string; minimum: string; income: string }) {
    const figures = Object.fromEntries(
      Object.entries({
        provincialPrivateAnnualWage: v.wage,
        cityMinimumLivingMonthly: v.minimum,
        nationalUrbanDisposableIncome: v.income,
      }).filter(([, x]) => x),
    );
    try {
      await determinationsPrepare.mutateAsync({ caseId, ...(v.city ? { city: v.city } : {}), figures });
      void message.success('已核定，待复核');
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  async function review(d: Determination, approve: boolean) {
    try {
      await determinationsReview.mutateAsync({ determinationId: d.id, approve, reason });
      setReason('');
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  async function issue(d: Determination) {
    try {
      const r = await determinationsIssueNotice.mutateAsync({ determinationId: d.id });
      tellOutcome(message, await openDocument({ documentId: r.id }));
      void message.success(`已出具 ${r.documentNo}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const open = (list.data ?? []).some((d) => d.status !== 'returned');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {c.data && (
        <Card size="small">
          <Descriptions size="small" column={4}>
            <Descriptions.Item label="姓名">{c.data.workerName}</Descriptions.Item>
            <Descriptions.Item label="受理编号">{c.data.caseNo}</Descriptions.Item>
            <Descriptions.Item label="事故日期">{c.data.accidentDate}</Descriptions.Item>
            <Descriptions.Item label="状态">{STATUS_LABELS[c.data.status]}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {isOfficer && !open && (
        <Card size="small" title="核定待遇">
          <Form form={form} layout="inline" onFinish={(v) => void prepare(v)}>
            <Form.Item name="city">
              <Input placeholder="城市代码，如 xining" aria-label="城市代码" />
            </Form.Item>
            <Form.Item name="wage">
              <Input
                placeholder="上年度全省私营单位年平均工资（规则包缺失时填写）"
                style={{ width: 320 }}
                aria-label="全省私营单位年平均工资"
              />
            </Form.Item>
            <Form.Item name="minimum">
              <Input placeholder="城市月最低生活保障标准" aria-label="最低生活保障标准" />
            </Form.Item>
            <Form.Item name="income">
              <Input placeholder="全国城镇居民人均可支配收入" aria-label="人均可支配收入" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit">
                计算并提交复核
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      {(list.data ?? []).map((d) => {
        const r = d.result as {
          lines: Line[];
          totals: { once: { all: string }; monthly: { all: string } };
          rulePack: { id: string; version: string };
        };
        return (
          <Card
            key={d.id}
            size="small"
            title={
              <Space>
                待遇核定{' '}
                <Tag color={d.status === 'approved' ? 'green' : d.status === 'returned' ? 'red' : 'blue'}>
                  {DETERMINATION_STATUS_LABELS[d.status]}
                </Tag>
              </Space>
            }
          >
            <Table<Line>
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={r.lines}
              columns={[
                { title: '项目', dataIndex: 'label' },
                { title: '金额（元）', dataIndex: 'amount', align: 'right' },
                { title: '方式', dataIndex: 'period', render: (p: Line['period']) => PERIOD_LABELS[p] },
                { title: '支付方', dataIndex: 'payer', render: (p: Line['payer']) => PAYER_LABELS[p] },
                { title: '计算公式', dataIndex: 'formula' },
                { title: '依据', dataIndex: 'article' },
              ]}
            />
            <div style={{ marginTop: 8 }}>
              一次性合计 {r.totals.once.all} 元；按月合计 {r.totals.monthly.all} 元；规则包 {r.rulePack.id} {r.rulePack.version}；核定{' '}
              {d.preparedBy}
              {d.reviewedBy ? `；复核 ${d.reviewedBy}` : ''}
              {d.reviewReason ? `（${d.reviewReason}）` : ''}
            </div>
            {isReviewer && d.status === 'prepared' && (
              <Space style={{ marginTop: 8 }}>
                <Input
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder="退回理由"
                  aria-label="复核意见"
                  style={{ width: 320 }}
                />
                <Button type="primary" onClick={() => void review(d, true)}>
                  复核通过
                </Button>
                <Button danger onClick={() => void review(d, false)}>
                  退回
                </Button>
              </Space>
            )}
            {d.status === 'approved' && (
              <Button style={{ marginTop: 8 }} onClick={() => void issue(d)}>
                出具待遇核定通知书
              </Button>
            )}
          </Card>
        );
      })}
      {list.data?.length === 0 && !isOfficer && <Alert type="info" showIcon message="尚未核定" />}
    </Space>
  );
}
