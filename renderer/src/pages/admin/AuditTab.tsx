// The audit trail, newest first, with a check of the whole hash chain.
import { useState } from 'react';
import { Alert, Button, Space, Table } from 'antd';
import { invoke } from '../../transport';
import { useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { AuditEntry } from '../../../../shared/api/methods/admin';
import type { ApiOutput } from '../../../../shared/api/contract';
import { DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { ExportButton } from '../../desk/ExportButton';

const PAGE = 50;

/** Hashes and keys a summary quotes are strings to compare, set apart in code style. */
function withCodes(summary: string) {
  return summary.split(/([0-9a-f]{12,})/).map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

export function AuditTab() {
  const [page, setPage] = useState(1);
  const list = useRpcQuery('audit.list', { limit: PAGE, offset: (page - 1) * PAGE });
  const [verify, setVerify] = useState<ApiOutput<'audit.verify'> | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);

  async function runVerify() {
    setVerifyError(null);
    try {
      setVerify(await invoke('audit.verify', {}));
    } catch (e) {
      setVerifyError(errorMessage(e));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button onClick={() => void runVerify()}>校验审计链</Button>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)} aria-label="导出期间" />
        <ExportButton
          label="导出审计日志"
          run={(format) =>
            invoke('exports.audit', { format, from: range?.[0].format('YYYY-MM-DD') ?? null, to: range?.[1].format('YYYY-MM-DD') ?? null })
          }
        />
      </Space>
      {verify && verify.ok && <Alert type="success" showIcon message={`审计链完整：已校验 ${verify.checked} 条记录`} />}
      {verify && !verify.ok && (
        <Alert type="error" showIcon message={`审计链在第 ${verify.firstBroken?.seq} 条处断裂：${verify.firstBroken?.reason}`} />
      )}
      {verifyError && <Alert type="error" showIcon message={verifyError} />}
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.entries ?? []}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 70 },
          { title: '时间', dataIndex: 'at', width: 200, render: (v: string) => v.replace('T', ' ').slice(0, 19) },
          { title: '操作人', dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '操作', dataIndex: 'action', width: 140 },
          { title: '摘要', dataIndex: 'summary', render: (v: string) => withCodes(v) },
          { title: '哈希', dataIndex: 'hash', width: 110, render: (v: string) => <code>{v.slice(0, 10)}</code> },
        ]}
      />
    </Space>
  );
}
