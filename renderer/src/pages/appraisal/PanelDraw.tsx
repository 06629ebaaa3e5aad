// 专家抽取 for one case: pick 3 or 5 experts at random from the 门类 the injuries need, never
// one with a conflict; every draw is kept with its seed and candidates and can be re-checked.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Radio, Space, Table, Tag } from 'antd';
import { invoke } from '../../transport';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import { CATEGORIES, CATEGORY_LABELS } from '../../../../shared/appraisal/enums';
import type { ApiOutput } from '../../../../shared/api/contract';
import { Choice } from '../../forms/Choice';

type Draw = ApiOutput<'appraisal.draws'>[number];

export function PanelDraw({ caseId }: { caseId: string }) {
  const appraisalDrawPanel = useRpcMutation('appraisal.drawPanel');
  const { message } = App.useApp();
  const [size, setSize] = useState<3 | 5>(3);
  const [categories, setCategories] = useState<(typeof CATEGORIES)[number][]>(['ortho']);
  const [checks, setChecks] = useState<Record<string, boolean>>({});
  const draws = useRpcQuery('appraisal.draws', { caseId });

  async function draw() {
    try {
      const d = await appraisalDrawPanel.mutateAsync({ caseId, size, categories });
      void message.success(`已抽取：${d.panel.map((p) => p.name).join('、')}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  async function check(d: Draw) {
    const r = await invoke('appraisal.checkDraw', { drawId: d.id });
    setChecks((c) => ({ ...c, [d.id]: r.reproduced }));
  }
  return (
    <Card size="small" title="随机抽取鉴定专家">
      <Space wrap style={{ marginBottom: 12 }}>
        <Radio.Group
          value={size}
          onChange={(e) => setSize(e.target.value as 3 | 5)}
          options={[
            { value: 3, label: '3 人' },
            { value: 5, label: '5 人' },
          ]}
        />
        <Choice
          mode="multiple"
          style={{ minWidth: 360 }}
          value={categories}
          onChange={setCategories}
          options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          aria-label="伤情所需门类"
        />
        <Button type="primary" onClick={() => void draw()}>
          抽取
        </Button>
      </Space>
      <Table<Draw>
        rowKey="id"
        size="small"
        dataSource={draws.data ?? []}
        pagination={false}
        locale={{ emptyText: '尚未抽取' }}
        expandable={{
          expandedRowRender: (d) => (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="种子">{d.seed}</Descriptions.Item>
              <Descriptions.Item label="候选">{d.candidates.map((c) => c.name).join('、')}</Descriptions.Item>
              <Descriptions.Item label="回避">{d.excluded.map((e) => `${e.name}（${e.reason}）`).join('；') || '无'}</Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: '抽取时间', dataIndex: 'drawnAt', render: (v: string) => v.replace('T', ' ').slice(0, 16) },
          { title: '人数', dataIndex: 'size' },
          { title: '专家组', render: (_, d) => d.panel.map((p) => <Tag key={p.id}>{p.name}</Tag>) },
          {
            title: '复核',
            render: (_, d) =>
              checks[d.id] === undefined ? (
                <Button size="small" onClick={() => void check(d)}>
                  按种子重算
                </Button>
              ) : checks[d.id] ? (
                <Alert type="success" showIcon message="结果一致" />
              ) : (
                <Alert type="error" showIcon message="结果不一致" />
              ),
          },
        ]}
      />
    </Card>
  );
}
