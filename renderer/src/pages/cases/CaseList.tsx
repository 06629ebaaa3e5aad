// A table of case summaries with as-you-type search; used by the intake and confirmation areas.
// The table is virtualised (only the rows in view are drawn), so a queue of thousands scrolls
// smoothly; opening a case remembers the list for 下一件 (Alt+J).
import { useDeferredValue, useState } from 'react';
import { Input, Space, Table } from 'antd';
import { useRpcQuery } from '../../rpc';
import type { CaseDeadline, CaseSummary } from '../../../../shared/api/methods/cases';
import { DeadlineTag, FastTrackTag, StatusTag } from '../../format';
import { rememberCaseList } from '../../shell/case-navigation';
import { invoke } from '../../transport';
import { ExportButton } from '../../desk/ExportButton';
import { listProps } from '../../desk/virtual';

type Row = CaseSummary & { deadline?: CaseDeadline | null };

export function CaseTable({ rows, loading, onOpen }: { rows: Row[]; loading: boolean; onOpen: (id: string) => void }) {
  const open = (id: string) => {
    rememberCaseList(rows.map((r) => r.id));
    onOpen(id);
  };
  return (
    <Table<Row>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      {...listProps(rows.length, 480, 1150)}
      onRow={(r) => ({
        onClick: () => open(r.id),
        onKeyDown: (e) => e.key === 'Enter' && open(r.id),
        tabIndex: 0,
        style: { cursor: 'pointer' },
      })}
      columns={[
        { title: '登记号', dataIndex: 'registrationNo', width: 190 },
        { title: '受理编号', dataIndex: 'caseNo', width: 190, render: (v: string | null) => v ?? '—' },
        { title: '姓名', dataIndex: 'workerName', width: 90 },
        { title: '身份证号', dataIndex: 'idNumberMasked', width: 190 },
        { title: '事故日期', dataIndex: 'accidentDate', width: 110 },
        { title: '责任平台', dataIndex: 'platformName', width: 100, render: (v: string | null) => v ?? '—' },
        {
          title: '状态',
          width: 200,
          render: (_, r) => (
            <Space size={4}>
              <StatusTag status={r.status} />
              <FastTrackTag on={r.fastTrack} />
            </Space>
          ),
        },
        ...(rows.some((r) => r.deadline !== undefined)
          ? [{ title: '期限', width: 260, render: (_: unknown, r: Row) => <DeadlineTag d={r.deadline ?? null} /> }]
          : []),
      ]}
    />
  );
}

export function CaseSearch({ onOpen, autoFocus = false }: { onOpen: (id: string) => void; autoFocus?: boolean }) {
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const result = useRpcQuery('cases.search', { q: deferred, limit: 50 }, { placeholderData: (prev) => prev });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input.Search
          autoFocus={autoFocus}
          data-shortcut="search"
          allowClear
          placeholder="按姓名、身份证号（全号或末几位）、手机号、登记号/受理编号或订单号检索"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          aria-label="检索案件"
          maxLength={40}
        />
        <ExportButton run={(format) => invoke('exports.search', { format, q: deferred })} />
      </Space.Compact>
      <CaseTable rows={result.data ?? []} loading={result.isFetching && !result.data} onOpen={onOpen} />
    </Space>
  );
}
