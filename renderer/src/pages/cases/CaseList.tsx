// A table of case summaries with as-you-type search; used by the intake and confirmation areas.
import { useDeferredValue, useState } from 'react';
import { Input, Space, Table } from 'antd';
import { useRpcQuery } from '../../rpc';
import type { CaseDeadline, CaseSummary } from '../../../../shared/api/methods/cases';
import { DeadlineTag, FastTrackTag, StatusTag } from '../../format';

type Row = CaseSummary & { deadline?: CaseDeadline | null };

export function CaseTable({ rows, loading, onOpen }: { rows: Row[]; loading: boolean; onOpen: (id: string) => void }) {
  return (
    <Table<Row>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      onRow={(r) => ({
        onClick: () => onOpen(r.id),
        onKeyDown: (e) => e.key === 'Enter' && onOpen(r.id),
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
          render: (_, r) => (
            <Space size={4}>
              <StatusTag status={r.status} />
              <FastTrackTag on={r.fastTrack} />
            </Space>
          ),
        },
        ...(rows.some((r) => r.deadline !== undefined)
          ? [{ title: '期限', render: (_: unknown, r: Row) => <DeadlineTag d={r.deadline ?? null} /> }]
          : []),
      ]}
    />
  );
}

export function CaseSearch({ onOpen }: { onOpen: (id: string) => void }) {
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const result = useRpcQuery('cases.search', { q: deferred, limit: 50 }, { placeholderData: (prev) => prev });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder="按姓名、身份证号（全号或末几位）、手机号、登记号/受理编号或订单号检索"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-label="检索案件"
        maxLength={40}
      />
      <CaseTable rows={result.data ?? []} loading={result.isFetching && !result.data} onOpen={onOpen} />
    </Space>
  );
}
