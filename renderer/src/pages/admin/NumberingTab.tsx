// Document-number blocks of this device, per series and year: leased by the centre (issue #13) or
// typed here on a computer the centre does not serve; a block can be handed back.
import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { ApiInput } from '../../../../shared/api/contract';

const SERIES = [
  { value: 'intake', label: '受理、补正告知（intake）' },
  { value: 'confirmation', label: '职业伤害确认（confirmation）' },
  { value: 'appraisal', label: '劳动能力鉴定（appraisal）' },
  { value: 'benefits', label: '待遇核定（benefits）' },
];

export function NumberingTab() {
  const numberingAddBlock = useRpcMutation('numbering.addBlock');
  const { message } = App.useApp();
  const [form] = Form.useForm<ApiInput<'numbering.addBlock'>>();
  const numberingReturnBlock = useRpcMutation('numbering.returnBlock');
  const blocks = useRpcQuery('numbering.listBlocks', {});
  async function handBack(id: string) {
    try {
      const r = await numberingReturnBlock.mutateAsync({ id });
      void message.success(r.from <= r.last ? `已交还未用的 ${r.from}–${r.last} 号` : '号段已关闭');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : '交还失败');
    }
  }
  async function add(v: ApiInput<'numbering.addBlock'>) {
    try {
      await numberingAddBlock.mutateAsync(v);
      void message.success('号段已设置');
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        dataSource={blocks.data ?? []}
        pagination={false}
        locale={{ emptyText: '本机尚无文号号段，出具文书前请先设置' }}
        columns={[
          { title: '序列', render: (_, b) => SERIES.find((x) => x.value === b.series)?.label.replace(/（.*）/, '') ?? b.series },
          { title: '年度', dataIndex: 'year' },
          { title: '文号格式', dataIndex: 'pattern' },
          { title: '发文机关', dataIndex: 'issuer' },
          { title: '号段', render: (_, b) => `${b.first}–${b.last}` },
          { title: '下一个', dataIndex: 'next' },
          { title: '剩余', dataIndex: 'remaining' },
          { title: '来源', render: (_, b) => (b.leased ? <Tag color="blue">中心分配</Tag> : <Tag>本机设置</Tag>) },
          {
            title: '状态',
            render: (_, b) =>
              b.returnedFrom === null ? (
                <Popconfirm
                  title="交还这个号段？"
                  description={`本机不再使用其中未用的号（${b.next}–${b.last}）${b.leased ? '，联网同步时交还中心' : ''}。交还后不能撤销。`}
                  okText="交还"
                  cancelText="取消"
                  onConfirm={() => void handBack(b.id)}
                >
                  <Button size="small">交还</Button>
                </Popconfirm>
              ) : b.leased && !b.returnAcknowledged ? (
                '已交还，待同步'
              ) : (
                '已交还'
              ),
          },
        ]}
      />
      <Card size="small" title="新增号段" style={{ marginTop: 16 }}>
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => void add(v)}
          initialValues={{ year: new Date().getFullYear(), series: 'intake' }}
        >
          <Form.Item name="series" rules={[{ required: true }]}>
            <Select options={SERIES} style={{ width: 220 }} aria-label="序列" />
          </Form.Item>
          <Form.Item name="year" rules={[{ required: true }]}>
            <InputNumber min={2020} max={2100} aria-label="年度" />
          </Form.Item>
          <Form.Item name="pattern" rules={[{ required: true, message: '请填写文号格式' }]}>
            <Input placeholder="青人社鉴〔{year}〕第{seq:4}号" style={{ width: 240 }} aria-label="文号格式" />
          </Form.Item>
          <Form.Item name="issuer" rules={[{ required: true, message: '请填写发文机关' }]}>
            <Input placeholder="发文机关" aria-label="发文机关" />
          </Form.Item>
          <Form.Item name="first" rules={[{ required: true, message: '起始号' }]}>
            <InputNumber min={1} placeholder="起始号" aria-label="起始号" />
          </Form.Item>
          <Form.Item name="last" rules={[{ required: true, message: '结束号' }]}>
            <InputNumber min={1} placeholder="结束号" aria-label="结束号" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              设置号段
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </>
  );
}
