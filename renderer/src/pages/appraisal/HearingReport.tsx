// The session report on screen: cases heard, conclusions by grade, absences, the experts who
// gave opinions and the time per case; issued as the signed 劳动能力鉴定专场报告 once every case
// is concluded or recorded absent.
import { App, Button, Card, Descriptions, Space, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import { gradeLabel, nursingLabel } from '../../../../shared/appraisal/grades';
import { useRequestIds } from '../../request-id';
import { openDocument, tellOutcome } from '../notices/pdf';
import { ExportButton } from '../../desk/ExportButton';
import { invoke } from '../../transport';

export function HearingReport({ hearingId }: { hearingId: string }) {
  const hearingsIssueReport = useRpcMutation('hearings.issueReport');
  const { message } = App.useApp();
  const q = useRpcQuery('hearings.report', { hearingId });
  const ids = useRequestIds();
  if (!q.data) return null;
  const r = q.data;
  const heard = r.cases.filter((c) => c.signed);
  const byGrade = new Map<string, number>();
  for (const c of heard) byGrade.set(gradeLabel(c.grade), (byGrade.get(gradeLabel(c.grade)) ?? 0) + 1);
  const timed = heard.map((c) => c.minutes).filter((m): m is number => m !== null);
  async function issue() {
    try {
      const d = await hearingsIssueReport.mutateAsync({ hearingId, requestId: ids.current('report') });
      ids.done('report');
      void message.success(`已出具专场报告 ${d.documentNo}`);
      tellOutcome(message, await openDocument({ documentId: d.id }));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <Card
      size="small"
      title="专场报告"
      extra={
        <Space>
          <ExportButton label="导出专场结果" run={(format) => invoke('exports.hearing', { format, hearingId })} />
          <Button type="primary" disabled={r.open > 0} onClick={() => void issue()}>
            出具专场报告
          </Button>
        </Space>
      }
    >
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'cases', label: '安排案件', children: `${r.cases.length} 件` },
          { key: 'heard', label: '已作结论', children: `${heard.length} 件` },
          { key: 'absent', label: '缺席', children: `${r.cases.filter((c) => c.absent).length} 件` },
          { key: 'open', label: '未审结', children: r.open > 0 ? <Tag color="orange">{r.open} 件</Tag> : '0 件' },
          { key: 'grades', label: '结论分布', children: [...byGrade].map(([g, n]) => `${g} ${n} 件`).join('，') || '—' },
          {
            key: 'time',
            label: '平均用时',
            children: timed.length ? `${Math.round(timed.reduce((a, b) => a + b, 0) / timed.length)} 分钟` : '—',
          },
          { key: 'experts', label: '出席专家', children: r.experts.join('、') || '—', span: 2 },
        ]}
      />
      <Table
        rowKey="caseNo"
        size="small"
        pagination={false}
        dataSource={r.cases}
        columns={[
          { title: '案件编号', dataIndex: 'caseNo' },
          { title: '姓名', dataIndex: 'name' },
          { title: '到场', render: (_, c) => (c.absent ? <Tag color="red">缺席</Tag> : c.attended ? '到场' : '待鉴定') },
          { title: '结论', render: (_, c) => (c.signed ? gradeLabel(c.grade) : '—') },
          {
            title: '生活自理障碍',
            render: (_, c) => (c.signed ? nursingLabel(c.nursingLevel) : '—'),
          },
          { title: '用时（分钟）', render: (_, c) => c.minutes ?? '—' },
        ]}
      />
      {r.open > 0 && <Space style={{ marginTop: 8 }}>全部案件作出结论或登记缺席后，方可出具专场报告。</Space>}
    </Card>
  );
}
