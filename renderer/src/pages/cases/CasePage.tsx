// One case file: facts, the rule engine's assessment, materials and attachments, medical
// bills, history and statutory clocks, with the lifecycle moves open to the person looking.
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { APPLICANT_LABELS, INDUSTRY_LABELS } from '../../../../shared/cases/enums';
import { STATUS_LABELS, type CaseAction } from '../../../../shared/cases/lifecycle';
import { DeadlineTag, FastTrackTag, StatusTag } from '../../format';
import { AssessmentPanel } from './AssessmentPanel';
import { usePlatforms } from './usePlatforms';
import { BillsTab } from './BillsTab';
import { CaseDocuments } from '../notices/CaseDocuments';
import { fileToBase64 } from '../notices/pdf';
import { DeathDialog } from './DeathDialog';
import { DependantsTab } from './DependantsTab';
import { CircumstanceCard } from './CircumstanceCard';
import { PARTY_LABELS, type PartyCode } from '../../../../shared/cases/enums';
import { CaseFlags } from './CaseFlags';
import { CaseRequestsTab } from './CaseRequests';
import { PayeeCard } from './PayeeCard';
import { useAttachmentViewer } from './AttachmentViewer';
import { useSession } from '../../shell/session-context';
import { useCaseNavigation } from '../../shell/case-navigation';

export function CasePage({ caseId }: { caseId: string }) {
  const q = useRpcQuery('cases.get', { caseId });
  const { nameOf } = usePlatforms();
  const session = useSession();
  useCaseNavigation();
  if (q.isLoading) return <Spin />;
  if (q.isError || !q.data) return <Result status="warning" title={errorMessage(q.error)} />;
  const c = q.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap size="large" align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.worker.name}
          </Typography.Title>
          <StatusTag status={c.status} />
          <FastTrackTag on={c.fastTrack} />
          <span>
            登记号 <b data-testid="registration-no">{c.registrationNo}</b>
          </span>
          <span>
            受理编号 <b data-testid="case-no">{c.caseNo ?? '—'}</b>
          </span>
          {c.merge.mergedInto && (
            <Tag color="purple" data-testid="merged-tag">
              {`已合并：同一事故，已并入案件 ${c.merge.mergedInto.registrationNo}`}
            </Tag>
          )}
          {c.death && (
            <Tag color="black" data-testid="death-tag">
              {`${c.death.date} 死亡${c.death.causedByInjury ? '（因职业伤害）' : ''}`}
            </Tag>
          )}
          {c.deadlines
            .filter((d) => d.status !== '正常')
            .map((d) => (
              <DeadlineTag key={d.key ?? d.code} d={d} />
            ))}
        </Space>
        <ActionBar c={c} />
      </Card>
      <CaseFlags caseId={c.id} session={session} />
      {c.merge.mergedCases.length > 0 && <MergedCases c={c} />}
      <Tabs
        items={[
          { key: 'facts', label: '案件信息', children: <Facts c={c} nameOf={nameOf} /> },
          {
            key: 'materials',
            label: `材料（${c.materials.filter((m) => m.received).length}/${c.materials.length}）`,
            children: <Materials c={c} />,
          },
          { key: 'bills', label: '医疗费（零星报销）', children: <BillsTab c={c} /> },
          ...(c.death && session ? [{ key: 'dependants', label: '供养亲属', children: <DependantsTab c={c} session={session} /> }] : []),
          { key: 'documents', label: '文书', children: <CaseDocuments c={c} /> },
          { key: 'deadlines', label: '法定时限', children: <Deadlines c={c} /> },
          { key: 'history', label: '办理记录', children: <History c={c} /> },
          ...(session
            ? [
                {
                  key: 'requests',
                  label: '留言与请求',
                  children: <CaseRequestsTab caseId={c.id} heldHere={c.holder?.here ?? true} roles={session.user.roles} />,
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function Facts({ c, nameOf }: { c: CaseDetail; nameOf: (code: string | null) => string }) {
  return (
    <Space align="start" size="large" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={2} style={{ flex: 1, minWidth: 600 }}>
        {c.holder && (
          <Descriptions.Item label="办理机构" span={2}>
            {c.holder.here ? (
              `${c.holder.office}（本机构办理）`
            ) : (
              <span data-testid="case-holder-elsewhere">
                {c.holder.office}（由该机构办理：本机只能查看，不能修改；如需变更请联系该机构或请中心移交）
              </span>
            )}
          </Descriptions.Item>
        )}
        <Descriptions.Item label="身份证号码">{c.worker.idNumber}</Descriptions.Item>
        <Descriptions.Item label="手机号码">{c.worker.phone}</Descriptions.Item>
        <Descriptions.Item label="行业">
          {INDUSTRY_LABELS[c.worker.industry as keyof typeof INDUSTRY_LABELS] ?? c.worker.industry}
        </Descriptions.Item>
        <Descriptions.Item label="接单平台">{c.worker.platforms.map(nameOf).join('、')}</Descriptions.Item>
        <Descriptions.Item label="事故时间">{c.accident.at.replace('T', ' ')}</Descriptions.Item>
        <Descriptions.Item label="事故地点">{c.accident.place}</Descriptions.Item>
        <Descriptions.Item label="事故经过" span={2}>
          {c.accident.description}
        </Descriptions.Item>
        <Descriptions.Item label="伤情" span={2}>
          {c.accident.injuries.join('；')}
        </Descriptions.Item>
        <Descriptions.Item label="订单" span={2}>
          {c.accident.orders
            .map(
              (o) =>
                `${nameOf(o.platform)} ${o.orderNo}（接单 ${o.acceptedAt.replace('T', ' ')}${o.finishedAt ? `，完成 ${o.finishedAt.replace('T', ' ')}` : '，未完成'}）`,
            )
            .join('；')}
        </Descriptions.Item>
        <Descriptions.Item label="申请人">
          {APPLICANT_LABELS[c.applicant.kind]}：{c.applicant.name}
        </Descriptions.Item>
        <Descriptions.Item label="申请日期">{c.applicant.applicationDate}</Descriptions.Item>
        <Descriptions.Item label="治疗情况" span={2}>
          {[
            c.treatment.outpatientOnly ? '仅门诊/急诊' : '非仅门诊',
            c.treatment.hospitalized ? '曾住院' : '未住院',
            c.treatment.factsClear ? '事实清楚' : '事实待查',
            c.treatment.disputed ? '存在争议' : '无争议',
          ].join('；')}
        </Descriptions.Item>
        <Descriptions.Item label="事故备案">{c.accidentReportNo ?? '无（窗口新登记）'}</Descriptions.Item>
        <Descriptions.Item label="登记人">{c.registeredByName}</Descriptions.Item>
        {c.decision.decidedAt && (
          <>
            <Descriptions.Item label="确认结论" span={2}>
              {c.status === 'not_confirmed' ? '不予确认' : '确认为职业伤害'}，依据{c.decision.article}；{c.decision.reason}（
              {c.decision.decidedByName}，{c.decision.decidedAt.slice(0, 10)}）
            </Descriptions.Item>
            {c.decision.investigation && (
              <Descriptions.Item label="调查核实" span={2}>
                {c.decision.investigation}
              </Descriptions.Item>
            )}
          </>
        )}
        {c.supplementDue && <Descriptions.Item label="补正期限">{c.supplementDue}</Descriptions.Item>}
        <Descriptions.Item label="第十一条情形" span={2}>
          {c.accident.circumstanceLabel}（{c.accident.circumstanceArticle}）
          {c.accident.circumstanceProblems.map((p) => (
            <div key={p} style={{ color: '#d46b08' }}>
              {p}
            </div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label="责任平台企业" span={2}>
          {c.platform
            ? `${c.platform.name}（${c.platform.legalName ?? '法人名称未登记，请管理员补充'}${c.platform.creditCode ? `，${c.platform.creditCode}` : ''}）`
            : '未确定'}
        </Descriptions.Item>
        <Descriptions.Item label="治疗期">
          {c.treatmentPeriod.start} 至 {c.treatmentPeriod.limitEnd}
          {c.treatmentPeriod.extendedOn ? `（${c.treatmentPeriod.extendedOn} 延长：${c.treatmentPeriod.extensionReason}）` : ''}
        </Descriptions.Item>
        {c.platformBorne && (
          <Descriptions.Item label="平台企业承担期间">
            {c.platformBorne.from} 至 {c.platformBorne.to}（{c.platformBorne.article}）
          </Descriptions.Item>
        )}
        {c.death && (
          <Descriptions.Item label="死亡登记" span={2}>
            {c.death.date}，{c.death.causedByInjury ? '因职业伤害导致' : '非因职业伤害导致'}；证明：{c.death.evidence}（
            {c.death.recordedByName}，{c.death.recordedAt.slice(0, 10)} 登记）
          </Descriptions.Item>
        )}
      </Descriptions>
      <div style={{ width: 380 }}>
        <PayeeCard c={c} />
        <CircumstanceCard c={c} />
        <AssessmentPanel a={c.assessment} nameOf={nameOf} />
      </div>
    </Space>
  );
}

function Materials({ c }: { c: CaseDetail }) {
  const casesAttach = useRpcMutation('cases.attach');
  const casesSetMaterials = useRpcMutation('cases.setMaterials');
  const { message } = App.useApp();
  const { view, askRemove, dialogs } = useAttachmentViewer(c);
  const editable = c.status === 'registered' || c.status === 'awaiting_supplement';
  async function toggle(code: string, received: boolean) {
    try {
      await casesSetMaterials.mutateAsync({ caseId: c.id, expectedVersion: c.version, materials: [{ code, received }] });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  async function upload(file: File, materialCode: string) {
    try {
      await casesAttach.mutateAsync({ caseId: c.id, materialCode, filename: file.name, dataBase64: await fileToBase64(file) });
      void message.success(`已上传 ${file.name}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <>
      {dialogs}
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={c.materials}
        columns={[
          { title: '材料', dataIndex: 'label' },
          {
            title: '收到',
            width: 90,
            render: (_, m) => (
              <Checkbox
                checked={m.received}
                disabled={!editable}
                onChange={(e) => void toggle(m.code, e.target.checked)}
                aria-label={`已收到：${m.label}`}
              />
            ),
          },
          {
            title: '附件',
            render: (_, m) => (
              <Space wrap>
                {c.attachments
                  .filter((a) => a.materialCode === m.code)
                  .map((a) => (
                    <Space key={a.id} size={2}>
                      <Tooltip title={`SHA-256 ${a.sha256}`}>
                        <Tag>
                          {a.filename}（{Math.ceil(a.size / 1024)} KB）
                        </Tag>
                      </Tooltip>
                      {c.canOpenAttachments && (
                        <Button type="link" size="small" onClick={() => void view(a)} aria-label={`查看 ${a.filename}`}>
                          查看
                        </Button>
                      )}
                      {c.canRemoveAttachments && (
                        <Button type="link" size="small" danger onClick={() => askRemove(a)} aria-label={`删除 ${a.filename}`}>
                          删除
                        </Button>
                      )}
                    </Space>
                  ))}
                <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} beforeUpload={(f) => (void upload(f, m.code), false)}>
                  <Button size="small" icon={<UploadOutlined />}>
                    上传
                  </Button>
                </Upload>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

function Deadlines({ c }: { c: CaseDetail }) {
  return (
    <Table
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={c.deadlines}
      locale={{ emptyText: '本阶段没有在计的法定时限' }}
      columns={[
        { title: '时限', dataIndex: 'label' },
        { title: '依据', dataIndex: 'article' },
        { title: '到期日', dataIndex: 'due' },
        { title: '状态', render: (_, d) => <DeadlineTag d={d} /> },
      ]}
    />
  );
}

function History({ c }: { c: CaseDetail }) {
  return (
    <Timeline
      items={c.transitions.map((t) => ({
        children: (
          <span>
            {t.at.replace('T', ' ').slice(0, 16)} · <b>{t.label}</b> {t.from ? `${t.from} → ` : ''}
            {t.to} · {t.byName}
            {t.reason && <div style={{ color: '#666' }}>理由：{t.reason}</div>}
          </span>
        ),
      }))}
    />
  );
}

/**
 * What an irreversible step does, said before it is taken: the clerk confirms knowing the
 * consequence (a number given, a clock started, a notice owed) rather than finding out after.
 */
const CONFIRM_TEXT: Partial<Record<CaseAction, string>> = {
  accept: '受理后将生成受理编号，申请人可凭受理通知书查询进度，职业伤害确认的办理时限自受理起计算。受理不能撤销。',
  request_supplement: '将把案件转为“待补正”，并需向申请人出具一次性补正告知书，列明全部未收到的材料；申请人自收到告知书之日起十日内补正。',
  request_appraisal: '将把案件转入劳动能力鉴定，由鉴定委员会安排专场。提交后不能撤回。',
  close: '办结后案件不再办理任何事项。',
};

function ActionBar({ c }: { c: CaseDetail }) {
  const casesTransition = useRpcMutation('cases.transition');
  const { message, modal } = App.useApp();
  const [pending, setPending] = useState<CaseDetail['actions'][number] | null>(null);
  const [dying, setDying] = useState(false);
  const [form] = Form.useForm<{ reason: string; article: string; investigation: string; party: PartyCode }>();
  const [error, setError] = useState<string | null>(null);
  const isDecision = pending?.action === 'confirm' || pending?.action === 'not_confirm';
  const isReappraisal = pending?.action === 'request_reappraisal';

  async function run(action: CaseAction, extra: { reason?: string; article?: string; investigation?: string; party?: PartyCode } = {}) {
    setError(null);
    try {
      const r = await casesTransition.mutateAsync({ caseId: c.id, action, expectedVersion: c.version, ...extra });
      void message.success(`已办理，案件状态：${STATUS_LABELS[r.status]}${r.caseNo ? `，受理编号 ${r.caseNo}` : ''}`);
      setPending(null);
      form.resetFields();
    } catch (e) {
      setError(applyFieldErrors(form, e));
      if (!pending) void message.error(errorMessage(e));
    }
  }

  if (c.actions.length === 0) return null;
  return (
    <div style={{ marginTop: 12 }}>
      <Space wrap>
        {c.actions.map((a) => (
          <Tooltip key={a.action} title={a.blockedBy}>
            <Button
              type={a.action === 'accept' || a.action === 'confirm' ? 'primary' : 'default'}
              danger={a.action === 'not_confirm' || a.action === 'terminate'}
              disabled={!!a.blockedBy}
              onClick={() =>
                a.action === 'record_death'
                  ? setDying(true)
                  : a.needsReason
                    ? setPending(a)
                    : CONFIRM_TEXT[a.action]
                      ? modal.confirm({
                          title: `确认${a.label}？`,
                          content: CONFIRM_TEXT[a.action],
                          okText: `确认${a.label}`,
                          cancelText: '取消',
                          onOk: () => run(a.action),
                        })
                      : void run(a.action)
              }
            >
              {a.label}
            </Button>
          </Tooltip>
        ))}
      </Space>
      {/* Why a step cannot be taken (三岗分离, missing materials…) in text, not only in a tooltip. */}
      {c.actions
        .filter((a) => a.blockedBy && !(a.action === 'accept' && c.status === 'awaiting_supplement'))
        .map((a) => (
          <Alert key={a.action} style={{ marginTop: 8 }} type="info" showIcon message={`不能${a.label}：${a.blockedBy}`} />
        ))}
      <Modal
        open={!!pending}
        title={pending?.label}
        okText="确定"
        cancelText="取消"
        onCancel={() => setPending(null)}
        onOk={() => void form.validateFields().then((v) => run(pending!.action, v))}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          {isDecision && (
            <>
              <Form.Item name="investigation" label="调查核实情况">
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
              <Form.Item
                name="article"
                label="依据条款"
                rules={[{ required: true, message: '请填写依据条款' }]}
                initialValue={pending?.action === 'confirm' ? c.accident.circumstanceArticle : '第十二条'}
              >
                <Input />
              </Form.Item>
            </>
          )}
          {isReappraisal && (
            <Form.Item
              name="party"
              label="申请方"
              rules={[{ required: true, message: '请选择申请再次鉴定的一方' }]}
              extra="各方自收到鉴定结论书之日起 15 日内可申请（第十九条第二款）"
            >
              <Radio.Group options={c.parties.map((p) => ({ value: p, label: PARTY_LABELS[p] }))} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={isDecision ? '结论理由' : '理由'} rules={[{ required: true, message: '请填写理由' }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      <DeathDialog c={c} open={dying} onClose={() => setDying(false)} />
    </div>
  );
}

/** Cases closed into this one (same accident): what each carried, as listed when it was merged. */
function MergedCases({ c }: { c: CaseDetail }) {
  return (
    <Card size="small" title="并入本案的案件（同一事故）" data-testid="merged-cases">
      {c.merge.mergedCases.map((m) => (
        <Descriptions key={m.caseId} bordered size="small" column={2} style={{ marginBottom: 8 }}>
          <Descriptions.Item label="原登记号">{m.registrationNo}</Descriptions.Item>
          <Descriptions.Item label="原办理机构">{m.office}</Descriptions.Item>
          <Descriptions.Item label="合并人">{m.decidedBy}</Descriptions.Item>
          <Descriptions.Item label="合并时间">{m.decidedAt.replace('T', ' ').slice(0, 16)}</Descriptions.Item>
          <Descriptions.Item label="申请材料" span={2}>
            {m.carried.materials.length === 0
              ? '无'
              : m.carried.materials.map((x) => `${x.label}（${x.received ? '已收' : '未收'}）`).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label="医疗费票据" span={2}>
            {m.carried.bills.length === 0
              ? '无'
              : m.carried.bills.map((b) => `${b.date} ${b.hospital} ${b.amount} 元${b.reimbursed ? '（已报销）' : ''}`).join('；')}
          </Descriptions.Item>
          <Descriptions.Item label="办理记录" span={2}>
            {m.carried.history.map((h) => `${h.at.slice(0, 10)} ${h.to}${h.reason ? `：${h.reason}` : ''}`).join('；')}
          </Descriptions.Item>
        </Descriptions>
      ))}
      <Typography.Text type="secondary">原案件的材料、票据和记录均保留在原案件中；原案件签发的文书仍属于原案件。</Typography.Text>
    </Card>
  );
}
