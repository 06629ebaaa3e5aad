// One figure as an ECharts chart: pie, bars, stacked bars or lines over the figure's plotted
// columns, the category being its text columns. The chart instance belongs to this component's
// effect (created on mount, resized with its box, disposed on unmount); labels are Chinese and
// numbers in zh-CN forms.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Figure } from '../../../shared/monitoring/figures';
import { formatAxis, formatCell } from './format';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type EChartsOption = Parameters<echarts.ECharts['setOption']>[0];

function categoryOf(f: Figure, row: Figure['rows'][number]): string {
  return f.columns
    .filter((c) => c.kind === 'text')
    .map((c) => String(row[c.key] ?? ''))
    .filter(Boolean)
    .join(' · ');
}

export function chartOption(f: Figure): EChartsOption {
  const series = f.plot.map((key) => f.columns.find((c) => c.key === key)!).filter(Boolean);
  const categories = f.rows.map((r) => categoryOf(f, r));
  const value = (r: Figure['rows'][number], key: string) => Number(r[key] ?? 0);
  const kind = series[0]?.kind ?? 'count';
  if (f.chart === 'pie') {
    const s = series[0]!;
    return {
      tooltip: { trigger: 'item', valueFormatter: (v: unknown) => formatCell(Number(v), s.kind) },
      legend: { type: 'scroll', bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}：{d}%' },
          data: f.rows.map((r, i) => ({ name: categories[i], value: value(r, s.key) })),
        },
      ],
    };
  }
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatCell(Number(v), kind) },
    legend: series.length > 1 ? { bottom: 0 } : undefined,
    grid: { left: 8, right: 16, top: 16, bottom: series.length > 1 ? 36 : 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: kind === 'count' ? 1 : undefined, axisLabel: { formatter: (v: number) => formatAxis(v, kind) } },
    series: series.map((s) => ({
      name: s.label,
      type: f.chart === 'line' ? 'line' : 'bar',
      stack: f.chart === 'stacked' ? 'total' : undefined,
      barMaxWidth: 48,
      data: f.rows.map((r) => value(r, s.key)),
    })),
  };
}

export function FigureChart({ figure, height = 260 }: { figure: Figure; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, null, { locale: 'ZH', renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(chartOption(figure), true);
  }, [figure]);

  return <div ref={box} style={{ width: '100%', height }} role="img" aria-label={`${figure.title}（图表）`} />;
}
