// A table of case summaries with as-you-type search; used by the intake and confirmation areas.
// The table is virtualised (only the rows in view are drawn), so a queue of thousands scrolls
// smoothly; opening a case remembers the list for 下一件 (Alt+J).
import { useDeferredValue, useMemo, useState } from 'react';
import { Button, Empty, Input, Space, Table, Typography } from 'antd';
import { useRpcQuery } from '../../rpc';
import type { CaseDeadline, CaseSummary } from '../../../../shared/api/methods/cases';
import { DeadlineTag, FastTrackTag, StatusTag } from '../../format';
import { rememberCaseList } from '../../shell/case-navigation';
import { invoke } from '../../transport';
import { ExportButton } from '../../desk/ExportButton';
import { listProps } from '../../desk/virtual';
import { STATUS_LABELS, type CaseStatus } from '../../../../shared/cases/lifecycle';
import { Choice } from '../../forms/Choice';
import { DateRangeField } from '../../forms/DateField';

type Row = CaseSummary & { deadline?: CaseDeadline | null };

const byText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '', 'zh-CN');
/** Every cell on one line: a name or a number broken over two lines is misread at a glance. */
const oneLine = () => ({ style: { whiteSpace: 'nowrap' as const } });

interface Filters {
  status?: CaseStatus;
  platform?: string;
  handler?: string;
  accident?: [string, string] | null;
}

function applyFilters(rows: Row[], f: Filters): Row[] {
  return rows.filter(
    (r) =>
      (!f.status || r.status === f.status) &&
      (!f.platform || r.platformName === f.platform) &&
      (!f.handler || r.handlerName === f.handler) &&
      (!f.accident || (r.accidentDate >= f.accident[0] && r.accidentDate <= f.accident[1])),
  );
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => byText(a, b));

/**
 * A worklist of cases, readable at 1366×768: one line per case, columns as wide as their
 * content, the deadline shortened (its full wording on hover), every column sortable, and
 * filters for status, accident dates, platform and handler over the rows loaded.
 */
export function CaseTable({ rows, loading, onOpen }: { rows: Row[]; loading: boolean; onOpen: (id: string) => void }) {
  const [filters, setFilters] = useState<Filters>({});
  const shown = useMemo(() => applyFilters(rows, filters), [rows, filters]);
  const set = (patch: Filters) => setFilters((f) => ({ ...f, ...patch }));
  const open = (id: string) => {
    rememberCaseList(shown.map((r) => r.id));
    onOpen(id);
  };
  const withDeadline = rows.some((r) => r.deadline !== undefined);
  const filtered = shown.length !== rows.length;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="small">
      <Space wrap size="small" data-testid="worklist-filters">
        <Choice<CaseStatus>
          allowClear
          size="small"
          placeholder="全部状态"
          aria-label="按状态筛选"
          style={{ width: 140 }}
          value={filters.status}
          onChange={(v) => set({ status: v ?? undefined })}
          options={[...new Set(rows.map((r) => r.status))].map((v) => ({ value: v, label: STATUS_LABELS[v] }))}
        />
        <DateRangeField size="small" aria-label="按事故日期筛选" value={filters.accident ?? null} onChange={(v) => set({ accident: v })} />
        <Choice<string>
          allowClear
          size="small"
          placeholder="全部平台"
          aria-label="按平台筛选"
          style={{ width: 140 }}
          value={filters.platform}
          onChange={(v) => set({ platform: v ?? undefined })}
          options={distinct(rows.map((r) => r.platformName)).map((v) => ({ value: v, label: v }))}
        />
        <Choice<string>
          allowClear
          size="small"
          placeholder="全部经办人"
          aria-label="按经办人筛选"
          style={{ width: 140 }}
          value={filters.handler}
          onChange={(v) => set({ handler: v ?? undefined })}
          options={distinct(rows.map((r) => r.handlerName)).map((v) => ({ value: v, label: v }))}
        />
        <Typography.Text type="secondary">
          {filtered ? `筛选出 ${shown.length} 件（共 ${rows.length} 件）` : `共 ${rows.length} 件`}
        </Typography.Text>
        {filtered && (
          <Button size="small" type="link" onClick={() => setFilters({})}>
            清除筛选
          </Button>
        )}
      </Space>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={shown}
        locale={filtered ? { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合筛选条件的案件" /> } : undefined}
        {...listProps(shown.length, 480, withDeadline ? 1040 : 850)}
        onRow={(r) => ({
          onClick: () => open(r.id),
          onKeyDown: (e) => e.key === 'Enter' && open(r.id),
          tabIndex: 0,
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            // One number per case: the 受理编号 once accepted, the 登记号 before; the other on hover.
            title: '受理编号／登记号',
            key: 'number',
            width: 170,
            onCell: oneLine,
            render: (_: unknown, r: Row) => (
              <span title={`登记号 ${r.registrationNo}${r.caseNo ? `，受理编号 ${r.caseNo}` : ''}`}>{r.caseNo ?? r.registrationNo}</span>
            ),
            sorter: (a: Row, b: Row) => byText(a.caseNo ?? a.registrationNo, b.caseNo ?? b.registrationNo),
          },
          { title: '姓名', dataIndex: 'workerName', width: 80, onCell: oneLine, sorter: (a, b) => byText(a.workerName, b.workerName) },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 160, onCell: oneLine },
          {
            title: '事故日期',
            dataIndex: 'accidentDate',
            width: 100,
            onCell: oneLine,
            sorter: (a, b) => byText(a.accidentDate, b.accidentDate),
          },
          {
            title: '责任平台',
            dataIndex: 'platformName',
            width: 95,
            ellipsis: true,
            render: (v: string | null) => v ?? '—',
            sorter: (a, b) => byText(a.platformName, b.platformName),
          },
          {
            title: '经办人',
            dataIndex: 'handlerName',
            width: 100,
            ellipsis: true,
            render: (v: string | null) => v ?? '—',
            sorter: (a, b) => byText(a.handlerName, b.handlerName),
          },
          {
            title: '状态',
            width: 140,
            onCell: oneLine,
            sorter: (a, b) => byText(STATUS_LABELS[a.status], STATUS_LABELS[b.status]),
            render: (_, r) => (
              <Space size={4}>
                <StatusTag status={r.status} />
                <FastTrackTag on={r.fastTrack} />
              </Space>
            ),
          },
          ...(withDeadline
            ? [
                {
                  title: '期限',
                  width: 170,
                  sorter: (a: Row, b: Row) => (a.deadline?.daysLeft ?? Infinity) - (b.deadline?.daysLeft ?? Infinity),
                  render: (_: unknown, r: Row) => <DeadlineTag d={r.deadline ?? null} short />,
                },
              ]
            : []),
        ]}
      />
    </Space>
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
