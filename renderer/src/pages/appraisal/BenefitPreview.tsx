// After sign-off: what the conclusion entitles to under the rule pack, with amounts when the
// pack's statistics are in. A preview only; the 待遇核定 officer decides in the benefits flow.
import { Alert, Card, Table } from 'antd';
import { useRpcQuery } from '../../rpc';

export function BenefitPreview({ caseId }: { caseId: string }) {
  const q = useRpcQuery('determinations.preview', { caseId });
  if (!q.data) return null;
  const p = q.data;
  return (
    <Card size="small" title="待遇预览（供待遇核定参考）">
      {p.lines.length === 0 ? (
        <Alert type="info" showIcon message="未达伤残等级，无伤残待遇" />
      ) : (
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={p.lines}
          columns={[
            { title: '待遇项目', dataIndex: 'label' },
            { title: '计发标准', dataIndex: 'multiple' },
            { title: '金额（元）', render: (_, l) => l.amount ?? '待统计数据' },
            { title: '依据', dataIndex: 'article' },
          ]}
        />
      )}
      {p.base && <div style={{ marginTop: 8 }}>计发基数：{p.base} 元／月</div>}
      {p.missing && p.lines.length > 0 && (
        <Alert style={{ marginTop: 8 }} type="warning" showIcon message={`暂不能计算金额：${p.missing}`} />
      )}
    </Card>
  );
}
