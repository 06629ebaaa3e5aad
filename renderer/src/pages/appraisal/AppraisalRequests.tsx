// A case's 鉴定申请: each 初次 / 复查 / 再次 request with its committee, the conclusion it
// challenges and the one that answered it; the 预审 checklist (secretary) and the 30-day
// extension of the conclusion period (鉴定组长) for the request still waiting.
import { useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { ApiOutput } from '../../../../shared/api/contract';
import type { SessionInfo } from '../../App';
import { PARTY_LABELS } from '../../../../shared/cases/enums';
import { gradeLabel } from '../../../../shared/appraisal/grades';
import { APPRAISAL_KIND_LABELS, COMMITTEE_LEVEL_LABELS, PRECHECK_RESULT_LABELS } from '../../../../shared/appraisal/enums';
import { DateField } from '../../forms/DateField';

type Request = ApiOutput<'appraisal.requests'>['requests'][number];

export function AppraisalRequests({ caseId, session }: { caseId: string; session: SessionInfo }) {
  const q = useRpcQuery('appraisal.requests', { caseId });
  if (!q.data || q.data.requests.length === 0) return null;
  const last = q.data.requests.at(-1)!;
  const pending = last.answer || last.closed ? null : last;
  const roles = session.user.roles;
  return (
    <Card size="small" title="鉴定申请">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={q.data.requests}
        columns={[
          { title: '申请编号', dataIndex: 'requestNo' },
          {
            title: '类型',
            render: (_, r) =>
              `${APPRAISAL_KIND_LABELS[r.kind]}（${COMMITTEE_LEVEL_LABELS[r.level]}）${r.party ? `，申请方：${PARTY_LABELS[r.party]}` : ''}`,
          },
          { title: '鉴定委员会', dataIndex: 'committee' },
          { title: '申请日期', dataIndex: 'requestedOn' },
          {
            title: '原结论',
            render: (_, r) => (r.previous ? `${gradeLabel(r.previous.grade)}（${r.previous.signedOn}，${r.previous.hearingNo}）` : '—'),
          },
          {
            title: '预审',
            render: (_, r) =>
              r.precheckResult === 'complete' ? (
                <Tag color="green">
                  {PRECHECK_RESULT_LABELS.complete} {r.completeOn}
                </Tag>
              ) : r.precheckResult === 'incomplete' ? (
                <Tag color="orange">{PRECHECK_RESULT_LABELS.incomplete}</Tag>
              ) : (
                <Tag>未预审</Tag>
              ),
          },
          { title: '期限延长', render: (_, r) => (r.extension ? `${r.extension.on}：${r.extension.reason}` : '—') },
          {
            title: '结论',
            render: (_, r) =>
              r.answer
                ? `${gradeLabel(r.answer.grade)}（${r.answer.signedOn}）`
                : r.closed
                  ? `已终止：${r.closed.reason}（${r.closed.on}）`
                  : '待鉴定',
          },
        ]}
      />
      {pending && roles.includes('appraisal_secretary') && (
        <PrecheckForm
          key={`${pending.id}-${pending.precheckedOn ?? ''}-${pending.precheckResult ?? ''}`}
          caseId={caseId}
          request={pending}
          checklist={q.data.checklist}
        />
      )}
      {pending && roles.includes('appraisal_leader') && pending.completeOn && !pending.extension && <ExtendForm caseId={caseId} />}
    </Card>
  );
}

function PrecheckForm({ caseId, request, checklist }: { caseId: string; request: Request; checklist: { code: string; label: string }[] }) {
  const appraisalPrecheck = useRpcMutation('appraisal.precheck');
  const { message } = App.useApp();
  // The form starts from the last 预审 (the parent keys it by request and date, so a saved
  // check starts a fresh form).
  const [answers, setAnswers] = useState<Record<string, { present: boolean; note: string }>>(() =>
    Object.fromEntries(
      checklist.map((c) => [
        c.code,
        {
          present: request.precheck?.find((p) => p.code === c.code)?.present ?? false,
          note: request.precheck?.find((p) => p.code === c.code)?.note ?? '',
        },
      ]),
    ),
  );
  // The 60 days run from the day the complete application was received: at the first check the
  // request's day, later the day the missing materials came (left empty: today).
  const [received, setReceived] = useState(request.precheckResult === null ? request.requestedOn : '');
  async function save() {
    try {
      const r = await appraisalPrecheck.mutateAsync({
        caseId,
        items: checklist.map((c) => ({ code: c.code, present: answers[c.code]?.present ?? false, note: answers[c.code]?.note ?? '' })),
        ...(received ? { materialsReceivedOn: received } : {}),
      });
      if (r.result === 'complete') void message.success('预审完成：材料齐全，结论期限开始计算');
      else void message.warning(`材料不齐全，请一次性告知申请人补正：${r.missing.join('、')}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <div style={{ marginTop: 12 }} aria-label="预审清单">
      <Typography.Text strong>预审（{request.requestNo}）：逐项核对鉴定材料</Typography.Text>
      {checklist.map((c) => (
        <Space key={c.code} style={{ display: 'flex', marginTop: 6 }}>
          <Checkbox
            checked={answers[c.code]?.present ?? false}
            onChange={(e) => {
              const present = e.target.checked;
              setAnswers((a) => ({ ...a, [c.code]: { present, note: a[c.code]?.note ?? '' } }));
            }}
          >
            {c.label}
          </Checkbox>
          <Input
            size="small"
            placeholder="备注"
            style={{ width: 220 }}
            value={answers[c.code]?.note ?? ''}
            maxLength={200}
            aria-label={`${c.label} 备注`}
            onChange={(e) => {
              const note = e.target.value;
              setAnswers((a) => ({ ...a, [c.code]: { present: a[c.code]?.present ?? false, note } }));
            }}
          />
        </Space>
      ))}
      <Space style={{ display: 'flex', marginTop: 8 }}>
        <span>材料齐全（收到）日期</span>
        <DateField size="small" value={received} aria-label="材料收到日期" onChange={(v) => setReceived(v ?? '')} />
        <Typography.Text type="secondary">结论期限自收到完整材料之日起算</Typography.Text>
      </Space>
      <Button style={{ marginTop: 8 }} type="primary" onClick={() => void save()}>
        保存预审
      </Button>
    </div>
  );
}

function ExtendForm({ caseId }: { caseId: string }) {
  const appraisalExtend = useRpcMutation('appraisal.extend');
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  async function extend() {
    try {
      await appraisalExtend.mutateAsync({ caseId, reason });
      void message.success('结论期限已延长 30 日');
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <Descriptions
      size="small"
      style={{ marginTop: 12 }}
      column={1}
      items={[
        {
          key: 'x',
          label: '疑难情况延长结论期限 30 日',
          children: (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                placeholder="延长理由"
                value={reason}
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
                aria-label="延长理由"
              />
              <Button disabled={!reason.trim()} onClick={() => void extend()}>
                延长 30 日
              </Button>
            </Space.Compact>
          ),
        },
      ]}
    />
  );
}
