// 同步冲突: what the centre could not merge by itself, side by side — the edit made on a computer
// and the centre's version (for a possible duplicate: the two registrations) — for an
// administrator or manager to decide. Each decision is confirmed first (it cannot be undone) and
// travels to the centre with the next sync, which closes the conflict for every office involved.
import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { ConflictItem } from '../../../../shared/api/methods/conflicts';

function ConflictCard({ item }: { item: ConflictItem }) {
  const { message } = App.useApp();
  const resolve = useRpcMutation('conflicts.resolve');
  const duplicate = item.kind === 'duplicate';
  async function decide(decision: ConflictItem['choices'][number]['decision']) {
    try {
      const r = await resolve.mutateAsync({ id: item.id, decision });
      void message.success(`${r.summary}（将随下次同步报送中心）`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <Card
      size="small"
      data-testid="conflict-card"
      title={
        <Space wrap>
          {duplicate ? <Tag color="purple">疑似重复登记</Tag> : <Tag color="orange">修改冲突</Tag>}
          <span>{item.recordLabel}</span>
          <Typography.Text type="secondary">
            {item.callLabel} · {item.madeHere ? '本机的修改' : '本机构另一台电脑的修改'} · {item.createdAt.slice(0, 16).replace('T', ' ')}
          </Typography.Text>
        </Space>
      }
    >
      <Table
        rowKey="label"
        size="small"
        pagination={false}
        dataSource={item.fields}
        rowClassName={(f) => (f.differs ? 'conflict-differs' : '')}
        columns={[
          { title: '项目', dataIndex: 'label', width: 120 },
          {
            title: duplicate ? '本次登记' : item.madeHere ? '本机的修改' : '该电脑的修改',
            render: (_, f) => (f.differs ? <Typography.Text strong>{f.mine}</Typography.Text> : f.mine),
          },
          {
            title: duplicate ? '另一处的登记' : '中心的版本',
            render: (_, f) => (f.differs ? <Typography.Text strong>{f.centre}</Typography.Text> : f.centre),
          },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        {item.decided ? (
          <Alert
            type={item.decided.synced ? 'success' : 'info'}
            showIcon
            message={`已处理：${item.decided.label}`}
            description={item.decided.synced ? '中心已确认。' : '已在本机处理，等待下次同步报送中心。'}
          />
        ) : (
          <Space wrap>
            {item.choices.map((c) => (
              <Popconfirm
                key={c.decision}
                title={`确定“${c.label}”？`}
                description={
                  duplicate && c.decision === 'duplicate'
                    ? '本机的案件将关闭并标为“已合并”，指向对方案件；其材料、票据和办理记录留在原案件，并列入对方案件。已签发文书的案件不能被合并关闭。处理结果记入审计日志并报送中心，不能撤销。'
                    : '处理结果会记入审计日志并报送中心，不能撤销。'
                }
                okText="确定"
                cancelText="取消"
                onConfirm={() => void decide(c.decision)}
              >
                <Button type={c.decision === 'centre' || c.decision === 'duplicate' ? 'primary' : 'default'} loading={resolve.isPending}>
                  {c.label}
                </Button>
              </Popconfirm>
            ))}
          </Space>
        )}
      </div>
    </Card>
  );
}

export function ConflictInbox() {
  const [show, setShow] = useState<'open' | 'all'>('open');
  const q = useRpcQuery('conflicts.list', { show });
  const items = q.data ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Radio.Group
          value={show}
          onChange={(e) => setShow(e.target.value as 'open' | 'all')}
          options={[
            { value: 'open', label: '待处理' },
            { value: 'all', label: '全部（含已处理）' },
          ]}
          optionType="button"
        />
        <Typography.Text type="secondary">列表随每次同步从中心更新，断网时显示上次同步时的情况。</Typography.Text>
      </Space>
      {q.error && <Alert type="error" showIcon message={errorMessage(q.error)} />}
      {items.length === 0 && !q.isLoading ? (
        <Empty description={show === 'open' ? '没有待处理的同步冲突' : '没有同步冲突记录'} />
      ) : (
        items.map((item) => <ConflictCard key={item.id} item={item} />)
      )}
    </Space>
  );
}
