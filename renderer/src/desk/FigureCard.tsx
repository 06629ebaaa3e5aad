// A dashboard figure: its chart, or its table (every chart can show its numbers), its definition
// underneath, and its own export.
import { useState } from 'react';
import { Card, Empty, Segmented, Space, Table, Typography } from 'antd';
import { BarChartOutlined, TableOutlined } from '@ant-design/icons';
import type { Figure } from '../../../shared/monitoring/figures';
import type { ExportFile, ExportFormat } from '../../../shared/api/methods/desk';
import { FigureChart } from './FigureChart';
import { ExportButton } from './ExportButton';
import { formatCell } from './format';

export function FigureTable({ figure }: { figure: Figure }) {
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      dataSource={figure.rows}
      pagination={figure.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      locale={{ emptyText: '统计期内没有数据' }}
      columns={figure.columns.map((c) => ({
        key: c.key,
        title: c.label,
        dataIndex: c.key,
        align: c.kind === 'text' ? ('left' as const) : ('right' as const),
        render: (v: Figure['rows'][number][string]) => formatCell(v, c.kind),
      }))}
    />
  );
}

export function FigureCard({ figure, onExport }: { figure: Figure; onExport: (format: ExportFormat) => Promise<ExportFile> }) {
  const tableOnly = figure.chart === 'table';
  const [view, setView] = useState<'chart' | 'table'>(tableOnly ? 'table' : 'chart');
  return (
    <Card
      size="small"
      title={figure.title}
      data-testid={`figure-${figure.code}`}
      extra={
        <Space size={4}>
          {!tableOnly && (
            <Segmented
              size="small"
              value={view}
              onChange={(v) => setView(v as 'chart' | 'table')}
              options={[
                { value: 'chart', icon: <BarChartOutlined />, label: '图表' },
                { value: 'table', icon: <TableOutlined />, label: '表格' },
              ]}
              aria-label={`${figure.title}：图表或表格`}
            />
          )}
          <ExportButton size="small" run={onExport} label="导出" />
        </Space>
      }
    >
      {view === 'table' ? (
        <FigureTable figure={figure} />
      ) : figure.rows.length === 0 ? (
        <Empty description="统计期内没有数据" style={{ height: 240, paddingTop: 60 }} />
      ) : (
        <FigureChart figure={figure} />
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {figure.note}
      </Typography.Paragraph>
    </Card>
  );
}
