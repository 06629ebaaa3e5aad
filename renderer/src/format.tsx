// Small display helpers shared by the case screens.
import { Tag } from 'antd';
import { STATUS_LABELS, type CaseStatus } from '../../shared/cases/lifecycle';
import type { CaseDeadline } from '../../shared/api/methods/cases';

const STATUS_COLORS: Partial<Record<CaseStatus, string>> = {
  registered: 'blue',
  awaiting_supplement: 'orange',
  accepted: 'geekblue',
  confirmed: 'green',
  not_confirmed: 'red',
  closed: 'default',
  withdrawn: 'default',
  terminated: 'default',
};

export function StatusTag({ status }: { status: CaseStatus }) {
  return <Tag color={STATUS_COLORS[status] ?? 'purple'}>{STATUS_LABELS[status]}</Tag>;
}

/** `short`: only the days left on the tag; what is due, by which article and when, on hover (narrow worklists). */
export function DeadlineTag({ d, short = false }: { d: CaseDeadline | null; short?: boolean }) {
  if (!d) return <span style={{ color: '#999' }}>—</span>;
  const color = d.status === '逾期' ? 'red' : d.status === '临期' ? 'orange' : 'default';
  const left =
    d.daysLeft >= 0
      ? `剩 ${d.daysLeft} ${d.unit === 'working_days' ? '个工作日' : '天'}`
      : `已逾期 ${-d.daysLeft} ${d.unit === 'working_days' ? '个工作日' : '天'}`;
  const full = `${d.label}，${d.article}，期限 ${d.due}，${left}${d.certain ? '' : '（节假日安排未知，期限待核）'}`;
  return (
    <Tag
      color={color}
      title={full}
      style={short ? { maxWidth: 190, overflow: 'hidden', textOverflow: 'ellipsis', verticalAlign: 'middle' } : undefined}
    >
      {short ? left : `${d.label} ${d.due} · ${left}`}
      {d.certain ? '' : ' ?'}
    </Tag>
  );
}

export function FastTrackTag({ on }: { on: boolean }) {
  return on ? <Tag color="cyan">小伤快办</Tag> : null;
}
