// The grading sheet for one case at the table: attendance and findings, each drawn expert's
// opinion (GB/T 16180 items, promotion, nursing level), the panel's majority, and the
// leader's sign-off. After sign-off everything here is read-only.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { ApiOutput } from '../../../../shared/api/contract';
import { NURSING_OPTIONS } from './nursing-options';
import { ATTENDANCE_LABELS } from '../../../../shared/appraisal/enums';
import { GRADES, gradeLabel } from '../../../../shared/appraisal/grades';
import { useRequestIds } from '../../request-id';
import { openDocument, tellOutcome } from '../notices/pdf';
import { BenefitPreview } from './BenefitPreview';
import { Choice } from '../../forms/Choice';

type Sheet = ApiOutput<'hearings.sheet'>;
type Opinion = Sheet['opinions'][number];
type Item = { code: string; text: string; grade: number; outsideCatalogue?: boolean };

export function GradingPanel({ hearingId, caseId, canSign }: { hearingId: string; caseId: string; canSign: boolean }) {
  const hearingsAttendance = useRpcMutation('hearings.attendance');
  const hearingsIssueConclusion = useRpcMutation('hearings.issueConclusion');
  const { message } = App.useApp();
  const sheet = useRpcQuery('hearings.sheet', { hearingId, caseId });
  const [findings, setFindings] = useState('');
  const ids = useRequestIds();
  useEffect(() => setFindings(sheet.data?.findings ?? ''), [sheet.data?.findings]);
  if (!sheet.data) return null;
  const s = sheet.data;

  async function issueConclusion() {
    try {
      // The same request id until it succeeds: a second click returns the first 结论书.
      const r = await hearingsIssueConclusion.mutateAsync({ hearingId, caseId, requestId: ids.current(`conclusion-${caseId}`) });
      ids.done(`conclusion-${caseId}`);
      void message.success(`已出具 ${r.documentNo}`);
      tellOutcome(message, await openDocument({ documentId: r.id }));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function attend(attendance: 'present' | 'absent') {
    try {
      await hearingsAttendance.mutateAsync({ hearingId, caseId, attendance, findings });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title="到场与检查">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            rows={2}
            value={findings}
            onChange={(e) => setFindings(e.target.value)}
            placeholder="检查所见"
            disabled={s.signed}
            aria-label="检查所见"
          />
          <Space>
            <Button type={s.attendance === 'present' ? 'primary' : 'default'} disabled={s.signed} onClick={() => void attend('present')}>
              本人到场
            </Button>
            <Button danger={s.attendance === 'absent'} disabled={s.signed} onClick={() => void attend('absent')}>
              缺席
            </Button>
            <Tag>{ATTENDANCE_LABELS[s.attendance]}</Tag>
          </Space>
        </Space>
      </Card>
      {s.opinions.map((o) => (
        <OpinionCard key={o.expertId} o={o} hearingId={hearingId} caseId={caseId} disabled={s.signed || s.attendance !== 'present'} />
      ))}
      <Card size="small" title="专家组意见（少数服从多数）">
        {s.proposal ? (
          <Space direction="vertical">
            <div>各专家：{s.opinions.map((o) => `${o.name} ${gradeLabel(o.grade)}`).join('；')}</div>
            <div>
              拟定结论：
              <b>
                {s.proposal.grade.value === undefined
                  ? '无多数意见，由组长决定并写明理由'
                  : gradeLabel(s.proposal.grade.value as number | null)}
              </b>
              {s.proposal.dissenting.length > 0 && s.proposal.grade.value !== undefined && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  不同意见 {s.proposal.dissenting.length} 人
                </Tag>
              )}
            </div>
          </Space>
        ) : (
          <Typography.Text type="secondary">专家意见全部记录后显示拟定结论</Typography.Text>
        )}
      </Card>
      {canSign && !s.signed && s.proposal && <SignForm hearingId={hearingId} caseId={caseId} sheet={s} />}
      {s.signed && (
        <Alert
          type="success"
          showIcon
          message="鉴定结论已签发，不能再修改（如有异议请申请再次鉴定或复查）"
          action={
            <Button size="small" onClick={() => void issueConclusion()}>
              出具鉴定结论书
            </Button>
          }
        />
      )}
      {s.signed && <BenefitPreview caseId={caseId} />}
    </Space>
  );
}

function OpinionCard({ o, hearingId, caseId, disabled }: { o: Opinion; hearingId: string; caseId: string; disabled: boolean }) {
  const hearingsOpinion = useRpcMutation('hearings.opinion');
  const { message } = App.useApp();
  const [items, setItems] = useState<Item[]>(o.items ?? []);
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState(o.promotionApplied);
  const [reason, setReason] = useState(o.promotionReason);
  const [nursing, setNursing] = useState<Opinion['nursingLevel']>(o.nursingLevel);
  const [manual] = Form.useForm<Item>();
  const found = useRpcQuery('rules.catalogue', { q }, { enabled: !disabled });
  const sameTop = items.length >= 2 && items.filter((i) => i.grade === Math.min(...items.map((x) => x.grade))).length >= 2;

  async function save() {
    try {
      const r = await hearingsOpinion.mutateAsync({
        hearingId,
        caseId,
        expertId: o.expertId,
        items,
        promotionApplied: applied,
        promotionReason: reason,
        nursingLevel: nursing,
      });
      void message.success(`${o.name}：${gradeLabel(r.grade)}。${r.explanation}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Card size="small" title={`专家：${o.name}`} extra={o.items ? <Tag color="blue">{gradeLabel(o.grade)}</Tag> : <Tag>未记录</Tag>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Table<Item>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={items}
          locale={{ emptyText: '未选条款（未达级）' }}
          columns={[
            {
              title: '条款',
              dataIndex: 'code',
              width: 130,
              render: (code: string, i) => (
                <>
                  {code}
                  {i.outsideCatalogue && (
                    <Tag color="orange" style={{ marginLeft: 4 }}>
                      目录外
                    </Tag>
                  )}
                </>
              ),
            },
            { title: '内容', dataIndex: 'text' },
            { title: '等级', dataIndex: 'grade', width: 70, render: (g: number) => gradeLabel(g) },
            {
              title: '',
              width: 60,
              render: (_, i) => (
                <Button size="small" type="link" disabled={disabled} onClick={() => setItems(items.filter((x) => x.code !== i.code))}>
                  移除
                </Button>
              ),
            },
          ]}
        />
        <Select
          showSearch={{ filterOption: false, onSearch: setQ }}
          style={{ width: '100%' }}
          placeholder="按条款号或文字检索 GB/T 16180 条款"
          disabled={disabled}
          value={null}
          options={(found.data?.items ?? []).map((i) => ({ value: i.code, label: `${i.code} ${i.text}（${gradeLabel(i.grade)}）` }))}
          onSelect={(code: string | null) => {
            const i = found.data?.items.find((x) => x.code === code);
            if (i && !items.some((x) => x.code === i.code)) setItems([...items, { code: i.code, text: i.text, grade: i.grade }]);
          }}
          aria-label={`${o.name} 检索条款`}
        />
        {found.data && (
          <Typography.Text type="secondary">
            本机伤残条款目录收录 {found.data.itemsHeld} 条（GB/T 16180 共 {found.data.itemsInStandard}{' '}
            条）。目录中没有的条款请在下方手工填写条款号、内容和等级，意见和结论上将注明“目录外条款”。
          </Typography.Text>
        )}
        <Form
          form={manual}
          layout="inline"
          disabled={disabled}
          onFinish={(v) => {
            setItems([...items.filter((x) => x.code !== v.code), { ...v, outsideCatalogue: true }]);
            manual.resetFields();
          }}
        >
          <Form.Item name="code" rules={[{ required: true, message: '条款号' }]}>
            <Input placeholder="条款号，如 5.8.2(45)" aria-label={`${o.name} 条款号`} />
          </Form.Item>
          <Form.Item name="text" rules={[{ required: true, message: '内容' }]}>
            <Input placeholder="条款内容" aria-label={`${o.name} 条款内容`} />
          </Form.Item>
          <Form.Item name="grade" rules={[{ required: true, message: '等级' }]}>
            <InputNumber min={1} max={10} placeholder="等级" aria-label={`${o.name} 条款等级`} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">添加目录外条款</Button>
          </Form.Item>
        </Form>
        {sameTop && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Checkbox checked={applied} disabled={disabled} onChange={(e) => setApplied(e.target.checked)}>
              两项及以上同为最重等级，按晋级原则晋升一级
            </Checkbox>
            {!applied && (
              <Input
                value={reason}
                disabled={disabled}
                onChange={(e) => setReason(e.target.value)}
                placeholder="不晋级的理由（必填）"
                aria-label={`${o.name} 不晋级理由`}
              />
            )}
          </Space>
        )}
        <Space>
          <span>生活自理障碍：</span>
          <Radio.Group
            value={nursing}
            disabled={disabled}
            onChange={(e) => setNursing(e.target.value as Opinion['nursingLevel'])}
            options={NURSING_OPTIONS}
          />
        </Space>
        <Button type="primary" disabled={disabled} onClick={() => void save()}>
          保存 {o.name} 的意见
        </Button>
      </Space>
    </Card>
  );
}

function SignForm({ hearingId, caseId, sheet }: { hearingId: string; caseId: string; sheet: Sheet }) {
  const hearingsSign = useRpcMutation('hearings.sign');
  const [form] = Form.useForm<{ grade: number | null; nursingLevel: Opinion['nursingLevel']; advice: string; reason: string }>();
  const { message, modal } = App.useApp();
  const proposed = sheet.proposal?.grade.value;
  /** 签发 cannot be undone: say what it does and sign only after the leader agrees. */
  function confirmSign(v: { grade: number | null; nursingLevel: Opinion['nursingLevel']; advice: string; reason: string }) {
    const nursing = NURSING_OPTIONS.find((o) => o.value === (v.nursingLevel ?? null))?.label ?? '';
    modal.confirm({
      title: '确认签发鉴定结论？',
      content: `将以“${gradeLabel(v.grade ?? null)}、${nursing}”签发本案的鉴定结论：结论签名后存档，案件转入待遇核定，鉴定秘书据此出具鉴定结论书。签发后不能修改或撤回，如有错误只能通过再次鉴定纠正。`,
      okText: '确认签发',
      cancelText: '取消',
      onOk: () => sign(v),
    });
  }
  async function sign(v: { grade: number | null; nursingLevel: Opinion['nursingLevel']; advice: string; reason: string }) {
    try {
      await hearingsSign.mutateAsync({ hearingId, caseId, ...v, grade: v.grade ?? null });
      void message.success('鉴定结论已签发');
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Card size="small" title="组长确认并签发">
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => confirmSign(v)}
        initialValues={{
          grade: proposed === undefined ? null : proposed,
          nursingLevel: sheet.proposal?.nursingLevel.value ?? null,
          advice: '',
          reason: '',
        }}
      >
        <Form.Item name="grade" label="伤残等级">
          <Choice
            options={[{ value: null, label: gradeLabel(null) }, ...GRADES.map((g) => ({ value: g, label: gradeLabel(g) }))]}
            aria-label="签发等级"
          />
        </Form.Item>
        <Form.Item name="nursingLevel" label="生活自理障碍">
          <Radio.Group options={NURSING_OPTIONS} />
        </Form.Item>
        <Form.Item name="advice" label="停工留薪期/治疗期建议">
          <Input />
        </Form.Item>
        <Form.Item name="reason" label="理由（未采多数意见或无多数意见时必填）">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-shortcut="sign" title="Ctrl + Enter">
          签发结论
        </Button>
      </Form>
    </Card>
  );
}
