// 运行监测 for managers: the programme's figures for a period and an office (each chart with its
// table and export), the 疑点 list to look into, and the 第三十三条 annual public figures.
import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, InputNumber, Row, Space, Spin, Statistic, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { invoke } from '../../transport';
import { useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { SessionInfo } from '../../App';
import { FigureCard, FigureTable } from '../../desk/FigureCard';
import { ExportButton } from '../../desk/ExportButton';
import { FlagQueue } from './FlagQueue';
import { CasePage } from '../cases/CasePage';
import type { DashboardFilter } from '../../../../shared/monitoring/figures';
import { formatCell } from '../../desk/format';
import { Choice } from '../../forms/Choice';

const UNSET = '（未设置经办机构）';

export function MonitoringPage({ session, rest }: { session: SessionInfo; rest: string[] }) {
  if (rest[0] === 'case' && rest[1]) return <CasePage caseId={rest[1]} />;
  const isManager = session.user.roles.some((r) => r === 'manager' || r === 'admin');
  return (
    <Tabs
      items={[
        ...(isManager ? [{ key: 'dashboard', label: '运行监测', children: <Dashboard /> }] : []),
        { key: 'flags', label: '疑点筛查', children: <FlagQueue session={session} /> },
        ...(isManager ? [{ key: 'annual', label: '年度公开数据（第三十三条）', children: <Annual /> }] : []),
      ]}
    />
  );
}

function Dashboard() {
  const today = dayjs();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.startOf('year'), today]);
  const [office, setOffice] = useState<string | null>(null);
  const filter: DashboardFilter = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), office };
  const d = useRpcQuery('monitoring.dashboard', filter, { placeholderData: (prev) => prev });
  const figures = d.data?.figures ?? [];
  const fig = (code: string) => figures.find((f) => f.code === code);
  const month = fig('by_month');
  const fast = fig('fast_track')?.rows.find((r) => r.industry === '合计');
  const clocks = fig('clocks_by_stage')?.rows ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap size="middle">
          <span>统计期</span>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            presets={[
              { label: '本月', value: [today.startOf('month'), today] },
              { label: '近三个月', value: [today.subtract(3, 'month'), today] },
              { label: '本年度', value: [today.startOf('year'), today] },
              { label: '近一年', value: [today.subtract(1, 'year'), today] },
            ]}
            aria-label="统计期"
          />
          <span>经办机构</span>
          <Choice
            style={{ minWidth: 260 }}
            value={office ?? '__all'}
            onChange={(v) => setOffice(v === '__all' ? null : v)}
            options={[{ value: '__all', label: '全部经办机构' }, ...(d.data?.offices ?? []).map((o) => ({ value: o, label: o || UNSET }))]}
            aria-label="经办机构"
          />
          <ExportButton label="导出全部图表" run={(format) => invoke('exports.dashboard', { format, filter, figure: null })} />
          {d.data && <Typography.Text type="secondary">临期、逾期为 {d.data.asOf} 的在办情况</Typography.Text>}
        </Space>
      </Card>
      {d.isError && <Alert type="error" showIcon message={errorMessage(d.error)} />}
      {d.isLoading && <Spin />}
      {d.data && (
        <>
          <Row gutter={12}>
            <Col span={6}>
              <Card size="small">
                <Statistic title="申请件数" value={formatCell(month?.rows.reduce((a, r) => a + Number(r.applied ?? 0), 0) ?? 0, 'count')} />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="小伤快办占比" value={formatCell(fast?.share ?? null, 'percent')} />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic
                  title="当前临期"
                  value={formatCell(
                    clocks.reduce((a, r) => a + Number(r.near ?? 0), 0),
                    'count',
                  )}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic
                  title="当前逾期"
                  valueStyle={{ color: '#cf1322' }}
                  value={formatCell(
                    clocks.reduce((a, r) => a + Number(r.overdue ?? 0), 0),
                    'count',
                  )}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            {figures.map((f) => (
              <Col key={f.code} xs={24} xl={f.chart === 'table' ? 24 : 12}>
                <FigureCard figure={f} onExport={(format) => invoke('exports.dashboard', { format, filter, figure: f.code })} />
              </Col>
            ))}
          </Row>
        </>
      )}
    </Space>
  );
}

function Annual() {
  const [year, setYear] = useState(dayjs().year());
  const [office, setOffice] = useState<string | null>(null);
  // The offices with cases in the store (the dashboard lists them whatever the period).
  const offices = useRpcQuery('monitoring.dashboard', { from: `${year}-01-01`, to: `${year}-01-01`, office: null });
  const a = useRpcQuery('monitoring.annual', { year, office });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message="《实施办法》第三十三条：省级经办机构按年度向社会公开职业伤害保障参保、收支等情况，接受社会监督。"
        description="以下为本机数据可支持的部分（不含个人信息）；参保人数和保费收入不在本机，公开前请以省级经办机构汇总数为准。"
      />
      <Space wrap>
        <span>年度</span>
        <InputNumber min={2020} max={dayjs().year()} value={year} onChange={(v) => v && setYear(v)} aria-label="年度" />
        <Choice
          style={{ minWidth: 260 }}
          value={office ?? '__all'}
          onChange={(v) => setOffice(v === '__all' ? null : v)}
          options={[
            { value: '__all', label: '全部经办机构' },
            ...(offices.data?.offices ?? []).map((o) => ({ value: o, label: o || UNSET })),
          ]}
          aria-label="经办机构"
        />
        <ExportButton label="导出年度公开数据" run={(format) => invoke('exports.annual', { format, year, office })} />
        <Button onClick={() => void a.refetch()}>刷新</Button>
      </Space>
      {a.isError && <Alert type="error" showIcon message={errorMessage(a.error)} />}
      {a.data?.sections.map((s) => (
        <Card key={s.code} size="small" title={s.title}>
          <FigureTable figure={s} />
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {s.note}
          </Typography.Paragraph>
        </Card>
      ))}
    </Space>
  );
}
