// 待遇核定: cases with a signed conclusion or a recorded death; the determination with every line
// and formula (a redetermination beside the one it supersedes); the review chain of the rule pack
// (双重复核), each round worked from its own list; the 待遇核定通知书; and the statements of what
// platforms bear (第二十四条, 第十五条第三款), listed per platform.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Select, Space, Steps, Table, Tabs, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import { navigate } from '../../shell/useHashRoute';
import { useRequestIds } from '../../request-id';
import type { SessionInfo } from '../../App';
import type { ApiInput, ApiOutput } from '../../../../shared/api/contract';
import { gradeLabel, nursingLabel } from '../../../../shared/appraisal/grades';
import { PAYER_LABELS, PERIOD_LABELS } from '../../../../shared/rules/benefit-result';
import { openDocument, tellOutcome } from '../notices/pdf';
import { STATUS_LABELS } from '../../../../shared/cases/lifecycle';
import { CaseTable } from '../cases/CaseList';
import { CasePage } from '../cases/CasePage';
import { usePlatforms } from '../cases/usePlatforms';
import { BatchIssue } from '../../desk/BatchIssue';
import { ExportButton } from '../../desk/ExportButton';
import { invoke } from '../../transport';

type Determination = ApiOutput<'determinations.list'>[number];
type Comparison = NonNullable<Determination['comparison']>;
interface Line {
  code: string;
  label: string;
  amount: string;
  payer: 'fund' | 'platform';
  period: 'once' | 'monthly';
  article: string;
  formula: string;
  subject?: string;
  from?: string;
  until?: string;
}

export function BenefitsPage({ rest, session }: { rest: string[]; session: SessionInfo }) {
  if (rest[0] === 'case' && rest[1]) return <DeterminationPanel caseId={rest[1]} session={session} />;
  const roles = session.user.roles;
  const reviewer = roles.includes('benefit_reviewer') || roles.includes('insurance_reviewer');
  return (
    <Tabs
      items={[
        ...(reviewer ? [{ key: 'review', label: '待复核', children: <ReviewQueue /> }] : []),
        { key: 'prepare', label: '待核定（已鉴定、已死亡）', children: <PrepareQueue /> },
        { key: 'platforms', label: '平台企业费用告知书', children: <PlatformStatements /> },
      ]}
    />
  );
}

function PrepareQueue() {
  const queue = useRpcQuery('cases.queue', { queue: 'benefits' });
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <BatchIssue kind="determinations" />
        <ExportButton run={(format) => invoke('exports.queue', { format, queue: 'benefits' })} />
      </Space>
      <CaseTable rows={queue.data ?? []} loading={queue.isLoading} onOpen={(id) => navigate(`benefits/case/${id}`)} />
    </>
  );
}

/** The determinations waiting for a round this person's roles review (never their own). */
function ReviewQueue() {
  const q = useRpcQuery('determinations.queue', {});
  return (
    <Table
      rowKey="determinationId"
      size="small"
      loading={q.isLoading}
      dataSource={q.data ?? []}
      locale={{ emptyText: '没有待本人复核的核定' }}
      onRow={(r) => ({ onClick: () => navigate(`benefits/case/${r.caseId}`), style: { cursor: 'pointer' } })}
      columns={[
        { title: '受理编号', dataIndex: 'caseNo' },
        { title: '姓名', dataIndex: 'workerName' },
        { title: '复核轮次', render: (_, r) => `第${r.round}轮（共${r.rounds}轮）：${r.roundLabel}` },
        { title: '核定人', dataIndex: 'preparedBy' },
        { title: '核定时间', dataIndex: 'preparedAt', render: (v: string) => v.replace('T', ' ').slice(0, 16) },
        {
          title: '',
          render: (_, r) => (
            <Space>
              {r.redetermination && <Tag color="purple">重新核定</Tag>}
              {r.ownStep && <Tag>本人参与过前序环节，不能复核</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function PlatformStatements() {
  const { platforms } = usePlatforms();
  const [platform, setPlatform] = useState<string | undefined>(undefined);
  const q = useRpcQuery('platformStatements.list', platform ? { platform } : {});
  const { message } = App.useApp();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        placeholder="全部平台"
        aria-label="选择平台"
        style={{ width: 240 }}
        value={platform}
        onChange={setPlatform}
        options={platforms.map((p) => ({ value: p.code, label: p.name }))}
      />
      <Table
        rowKey="id"
        size="small"
        dataSource={q.data ?? []}
        loading={q.isLoading}
        locale={{ emptyText: '尚未出具平台企业承担费用告知书' }}
        columns={[
          { title: '文号', dataIndex: 'documentNo' },
          { title: '平台', dataIndex: 'platformName' },
          { title: '法人名称', dataIndex: 'legalName' },
          { title: '受理编号', dataIndex: 'caseNo' },
          { title: '姓名', dataIndex: 'workerName' },
          { title: '合计（元）', dataIndex: 'total', align: 'right' },
          { title: '出具时间', dataIndex: 'issuedAt', render: (v: string) => v.slice(0, 10) },
          { title: '状态', render: (_, r) => (r.voided ? <Tag>已作废</Tag> : <Tag color="green">有效</Tag>) },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  onClick={() =>
                    void openDocument({ documentId: r.id })
                      .then((o) => tellOutcome(message, o))
                      .catch((e: unknown) => void message.error(errorMessage(e)))
                  }
                >
                  查看
                </Button>
                <Button size="small" onClick={() => navigate(`benefits/case/${r.caseId}`)}>
                  案件
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

type PrepareInput = ApiInput<'determinations.prepare'>;

interface PrepareForm {
  figures?: { provincialPrivateAnnualWage?: string; cityMinimumLivingMonthly?: string; nationalUrbanDisposableIncome?: string };
  treatmentStart: string;
  treatmentEnd: string;
}

function DeterminationPanel({ caseId, session }: { caseId: string; session: SessionInfo }) {
  const { message } = App.useApp();
  const list = useRpcQuery('determinations.list', { caseId });
  const c = useRpcQuery('cases.get', { caseId });
  const prepareDetermination = useRpcMutation('determinations.prepare');
  const reviewDetermination = useRpcMutation('determinations.review');
  const issueNotice = useRpcMutation('determinations.issueNotice');
  const issueStatement = useRpcMutation('platformStatements.issue');
  const [form] = Form.useForm<PrepareForm>();
  const [reason, setReason] = useState('');
  const [draft, setDraft] = useState<{ input: PrepareInput; view: ApiOutput<'determinations.draft'> } | null>(null);
  const conclusion = useRpcQuery('determinations.preview', { caseId }, { retry: false });
  const ids = useRequestIds();
  const roles = session.user.roles;
  const isOfficer = roles.includes('benefit_officer');

  function prepareInput(v: PrepareForm): PrepareInput {
    const figures = Object.fromEntries(
      Object.entries(v.figures ?? {})
        .map(([k, x]) => [k, (x ?? '').trim()] as const)
        .filter(([, x]) => x),
    );
    return {
      caseId,
      ...(v.treatmentStart ? { treatment: { start: v.treatmentStart, end: v.treatmentEnd || null } } : {}),
      figures,
    };
  }
  /** Computes without storing: the officer sees every line before anything goes to review. */
  async function preview(v: PrepareForm) {
    const input = prepareInput(v);
    try {
      setDraft({ input, view: await invoke('determinations.draft', input) });
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  async function prepare() {
    if (!draft) return;
    try {
      const r = await prepareDetermination.mutateAsync(draft.input);
      setDraft(null);
      void message.success(r.supersedes ? '已重新核定，待复核' : '已核定，待复核');
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  async function review(d: Determination, approve: boolean) {
    try {
      const r = await reviewDetermination.mutateAsync({ determinationId: d.id, approve, reason });
      setReason('');
      void message.success(
        r.status === 'prepared' ? `本轮复核通过，转${r.next}` : r.status === 'approved' ? '复核通过，待遇核定完成' : '已退回核定人',
      );
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  async function issue(d: Determination) {
    try {
      const r = await issueNotice.mutateAsync({ determinationId: d.id, requestId: ids.current(`notice-${d.id}`) });
      ids.done(`notice-${d.id}`);
      tellOutcome(message, await openDocument({ documentId: r.id }));
      void message.success(`已出具 ${r.documentNo}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  async function statement() {
    try {
      const r = await issueStatement.mutateAsync({ caseId, requestId: ids.current('statement') });
      ids.done('statement');
      tellOutcome(message, await openDocument({ documentId: r.id }));
      void message.success(`已出具平台企业承担费用告知书 ${r.documentNo}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const determinations = list.data ?? [];
  const inReview = determinations.some((d) => d.status === 'prepared');
  // A death case is determined again when its dependants change (a child turns 18, a remarriage).
  const canPrepare =
    isOfficer &&
    !inReview &&
    (c.data?.status === 'appraised' || c.data?.status === 'deceased' || (c.data?.status === 'benefits_determined' && !!c.data.death));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {c.data && (
        <Card size="small">
          <Descriptions size="small" column={4}>
            <Descriptions.Item label="姓名">{c.data.workerName}</Descriptions.Item>
            <Descriptions.Item label="受理编号">{c.data.caseNo}</Descriptions.Item>
            <Descriptions.Item label="事故日期">{c.data.accidentDate}</Descriptions.Item>
            <Descriptions.Item label="状态">{STATUS_LABELS[c.data.status]}</Descriptions.Item>
            {conclusion.data && (
              <>
                <Descriptions.Item label="鉴定结论">
                  <b data-testid="conclusion-grade">{gradeLabel(conclusion.data.grade)}</b>
                </Descriptions.Item>
                <Descriptions.Item label="生活自理障碍">{nursingLabel(conclusion.data.nursingLevel)}</Descriptions.Item>
                <Descriptions.Item label="结论日期">{conclusion.data.conclusionDate}</Descriptions.Item>
              </>
            )}
          </Descriptions>
          {c.data.death && (
            // The hint to record dependants first only while the death benefits wait to be determined.
            <Alert
              type={c.data.status === 'deceased' ? 'warning' : 'info'}
              showIcon
              message={`${c.data.death.date} 死亡（${c.data.death.causedByInjury ? '因职业伤害导致' : '非因职业伤害导致'}）${
                c.data.status === 'deceased' ? '：核定死亡待遇前，请在下方“供养亲属”中登记供养亲属' : ''
              }`}
            />
          )}
        </Card>
      )}
      {canPrepare && (
        <Card size="small" title={determinations.some((d) => d.status === 'approved') ? '重新核定待遇' : '核定待遇'}>
          <Form form={form} layout="vertical" onFinish={(v) => void preview(v)}>
            <Row gutter={8}>
              <Col span={6}>
                <Form.Item
                  name={['figures', 'provincialPrivateAnnualWage']}
                  label="上年度全省城镇私营单位就业人员年平均工资（元）"
                  extra="规则包未收录时填写，可带千分位逗号，如 57,360"
                >
                  <Input aria-label="全省私营单位年平均工资" inputMode="decimal" />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item name={['figures', 'cityMinimumLivingMonthly']} label="事故发生地城市月最低生活保障标准（元）">
                  <Input aria-label="最低生活保障标准" inputMode="decimal" />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item name={['figures', 'nationalUrbanDisposableIncome']} label="上年度全国城镇居民人均可支配收入（元）">
                  <Input aria-label="人均可支配收入" inputMode="decimal" />
                </Form.Item>
              </Col>
              <Col span={3}>
                <Form.Item name="treatmentStart" label="治疗开始" extra="计生活保障费时填写">
                  <Input type="date" aria-label="治疗开始日期" />
                </Form.Item>
              </Col>
              <Col span={3}>
                <Form.Item name="treatmentEnd" label="治疗结束">
                  <Input type="date" aria-label="治疗结束日期" />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit">
              预览核定结果
            </Button>
          </Form>
        </Card>
      )}
      <DraftPreview
        draft={draft?.view ?? null}
        sending={prepareDetermination.isPending}
        onSend={() => void prepare()}
        onClose={() => setDraft(null)}
      />
      {determinations.map((d) => (
        <DeterminationCard
          key={d.id}
          d={d}
          session={session}
          reason={reason}
          setReason={setReason}
          onReview={(approve) => void review(d, approve)}
          onIssue={() => void issue(d)}
          onStatement={() => void statement()}
        />
      ))}
      {determinations.length === 0 && !isOfficer && <Alert type="info" showIcon message="尚未核定" />}
      <CasePage caseId={caseId} />
    </Space>
  );
}

function DeterminationCard({
  d,
  session,
  reason,
  setReason,
  onReview,
  onIssue,
  onStatement,
}: {
  d: Determination;
  session: SessionInfo;
  reason: string;
  setReason: (s: string) => void;
  onReview: (approve: boolean) => void;
  onIssue: () => void;
  onStatement: () => void;
}) {
  const r = d.result as {
    lines: Line[];
    totals: { once: { all: string }; monthly: { all: string } };
    rulePack: { id: string; version: string };
    omitted: { label: string; reason: string; article: string }[];
    platformBorneCosts: { from: string; to: string; article: string } | null;
  };
  const { modal } = App.useApp();
  const step = d.currentRound ? d.rounds[d.currentRound - 1] : null;
  const lastRound = d.currentRound === d.rounds.length;
  /** 复核通过 cannot be taken back: say what follows (the next round, or the determination final) before the call. */
  function confirmApprove() {
    modal.confirm({
      title: `确认第${d.currentRound}轮复核通过？`,
      content: lastRound
        ? `复核通过后待遇核定即完成：一次性合计 ${r.totals.once.all} 元、按月合计 ${r.totals.monthly.all} 元按上表计发，可以出具待遇核定通知书。通过后不能撤回，如需更正只能重新核定。`
        : `本轮复核通过后转“${d.rounds[d.currentRound ?? 0]?.label ?? '下一轮复核'}”。通过后不能撤回。`,
      okText: '确认复核通过',
      cancelText: '取消',
      onOk: () => onReview(true),
    });
  }
  const mayReview = step !== null && step !== undefined && session.user.roles.includes(step.role as never);
  const tag =
    d.status === 'approved' ? (
      d.supersededById ? (
        <Tag>已被新核定取代</Tag>
      ) : (
        <Tag color="green">复核通过</Tag>
      )
    ) : d.status === 'returned' ? (
      <Tag color="red">已退回</Tag>
    ) : (
      <Tag color="blue">{`待第${d.currentRound}轮${step?.label ?? '复核'}`}</Tag>
    );
  return (
    <Card
      size="small"
      data-testid="determination"
      title={
        <Space>
          {d.supersedesId ? '重新核定' : '待遇核定'} {tag}
          {d.provisional && <Tag color="orange">暂定：已申请再次鉴定，新结论作出后重新核定</Tag>}
          {d.effectiveFrom && <Tag color="purple">{`自 ${d.effectiveFrom} 起取代原核定`}</Tag>}
        </Space>
      }
    >
      <Table<Line>
        rowKey={(l, i) => `${l.code}-${l.subject ?? ''}-${i}`}
        size="small"
        pagination={false}
        dataSource={r.lines}
        columns={[
          { title: '项目', render: (_, l) => (l.subject ? `${l.label} · ${l.subject}` : l.label) },
          { title: '金额（元）', dataIndex: 'amount', align: 'right' },
          { title: '方式', dataIndex: 'period', render: (p: Line['period']) => PERIOD_LABELS[p] },
          {
            title: '支付方',
            dataIndex: 'payer',
            render: (p: Line['payer']) => (p === 'platform' ? <Tag color="orange">{PAYER_LABELS[p]}</Tag> : PAYER_LABELS[p]),
          },
          { title: '计算公式', dataIndex: 'formula' },
          { title: '依据', dataIndex: 'article' },
          { title: '期间', render: (_, l) => (l.from || l.until ? `${l.from ?? ''} 起${l.until ? `，至 ${l.until}` : ''}` : '') },
        ]}
      />
      {r.omitted.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="info"
          showIcon
          message="不予计发"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {r.omitted.map((o, i) => (
                <li key={i}>
                  {o.label}：{o.reason}（{o.article}）
                </li>
              ))}
            </ul>
          }
        />
      )}
      {r.platformBorneCosts && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          message={`${r.platformBorneCosts.from} 至 ${r.platformBorneCosts.to} 期间发生的待遇由平台企业承担（${r.platformBorneCosts.article}）`}
        />
      )}
      {d.comparison && <ComparisonTable comparison={d.comparison} />}
      <InputsTable inputs={d.inputs} />
      <div style={{ marginTop: 8 }}>
        一次性合计 {r.totals.once.all} 元；按月合计 {r.totals.monthly.all} 元；核定人 {d.preparedBy}
        {d.reviewReason ? `（${d.reviewReason}）` : ''}
      </div>
      <Steps
        size="small"
        style={{ marginTop: 8 }}
        items={[
          { title: '核定', description: d.preparedBy, status: 'finish' },
          ...d.rounds.map((x) => ({
            title: `第${x.round}轮 ${x.label}`,
            description: x.reviewer ? `${x.body}：${x.reviewer}${x.reason ? `（${x.reason}）` : ''}` : x.body,
            status: (x.decision === 'approved'
              ? 'finish'
              : x.decision === 'returned'
                ? 'error'
                : x.round === d.currentRound
                  ? 'process'
                  : 'wait') as 'finish' | 'error' | 'process' | 'wait',
          })),
        ]}
      />
      {mayReview && d.status === 'prepared' && (
        <Space style={{ marginTop: 8 }}>
          <Input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="退回理由"
            aria-label="复核意见"
            style={{ width: 320 }}
          />
          <Button type="primary" onClick={() => confirmApprove()}>
            {`第${d.currentRound}轮复核通过`}
          </Button>
          <Button danger onClick={() => onReview(false)}>
            退回
          </Button>
        </Space>
      )}
      {d.status === 'approved' && !d.supersededById && (
        <Space style={{ marginTop: 8 }}>
          <Button onClick={onIssue}>出具待遇核定通知书</Button>
          <Button onClick={onStatement}>出具平台企业承担费用告知书</Button>
        </Space>
      )}
    </Card>
  );
}

function ComparisonTable({ comparison }: { comparison: Comparison }) {
  return (
    <Card
      size="small"
      type="inner"
      title={`新旧对照（自 ${comparison.effectiveFrom} 起）`}
      style={{ marginTop: 8 }}
      data-testid="comparison"
    >
      <Table
        rowKey={(x, i) => `${x.code}-${i}`}
        size="small"
        pagination={false}
        dataSource={comparison.rows}
        columns={[
          { title: '项目', render: (_, x) => `${x.label}${x.subject ? ` · ${x.subject}` : ''}${x.period === 'monthly' ? '（按月）' : ''}` },
          { title: '原核定', dataIndex: 'before', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: '重新核定', dataIndex: 'after', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: '本次应付', dataIndex: 'payable', align: 'right' },
          { title: '说明', dataIndex: 'note' },
        ]}
      />
      <div style={{ marginTop: 6 }}>
        本次应补发一次性待遇 <b>{comparison.oneTimePayable.all}</b> 元。{comparison.rule}
      </div>
    </Card>
  );
}

type Draft = ApiOutput<'determinations.draft'>;

/** Every figure the computation used and where it came from: the officer typed it, or the rule pack's source. */
function InputsTable({ inputs }: { inputs: Draft['inputs'] }) {
  if (inputs.length === 0) return null;
  return (
    <Table
      style={{ marginTop: 8 }}
      rowKey="label"
      size="small"
      pagination={false}
      dataSource={inputs}
      title={() => '核定所用数据'}
      columns={[
        { title: '数据', dataIndex: 'label' },
        { title: '数值', dataIndex: 'value', align: 'right' },
        { title: '来源', dataIndex: 'source' },
      ]}
    />
  );
}

/** The determination as it would be sent to review: every line with its article and parameters, and every input. */
function DraftPreview({
  draft,
  sending,
  onSend,
  onClose,
}: {
  draft: Draft | null;
  sending: boolean;
  onSend: () => void;
  onClose: () => void;
}) {
  return (
    <Modal
      open={!!draft}
      title="核定结果预览（尚未提交）"
      width={1100}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>返回修改</Button>
          <Button type="primary" loading={sending} onClick={onSend}>
            提交复核
          </Button>
        </Space>
      }
    >
      {draft && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="draft-preview">
          {draft.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon message={w} />
          ))}
          <Table
            rowKey={(l, i) => `${l.label}-${l.subject ?? ''}-${i}`}
            size="small"
            pagination={false}
            dataSource={draft.lines}
            columns={[
              { title: '待遇项目', render: (_, l) => (l.subject ? `${l.label} · ${l.subject}` : l.label) },
              { title: '依据', dataIndex: 'article' },
              { title: '计算参数', dataIndex: 'formula' },
              { title: '金额（元）', dataIndex: 'amount', align: 'right' },
              { title: '方式', dataIndex: 'period', render: (p: Line['period']) => PERIOD_LABELS[p] },
              { title: '支付方', dataIndex: 'payer', render: (p: Line['payer']) => PAYER_LABELS[p] },
            ]}
          />
          <div>
            一次性合计 <b>{draft.totals.once}</b> 元；按月合计 <b>{draft.totals.monthly}</b> 元
          </div>
          {draft.omitted.length > 0 && (
            <Alert type="info" showIcon message="不予计发" description={draft.omitted.map((o) => `${o.label}：${o.reason}`).join('；')} />
          )}
          <InputsTable inputs={draft.inputs} />
        </Space>
      )}
    </Modal>
  );
}
