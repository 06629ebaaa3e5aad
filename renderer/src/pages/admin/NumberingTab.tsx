// Document-number blocks of this device, per series and year: leased by the centre (issue #13) or
// typed here on a computer the centre does not serve (the series by their Chinese names, a
// labelled editor with a preview of the number a new block gives first, a local default block on
// a fresh install, see numbering.ts); a block can be handed back.
import { Alert, App, Button, Card, Form, Input, InputNumber, Popconfirm, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { ApiInput } from '../../../../shared/api/contract';
import {
  DEFAULT_PATTERNS,
  NUMBER_SERIES,
  previewNumber,
  SERIES_DOCUMENTS,
  SERIES_LABELS,
  seriesLabel,
} from '../../../../shared/notices/series';
import { Choice } from '../../forms/Choice';

const SERIES = NUMBER_SERIES.filter((s) => s !== 'delivery').map((s) => ({
  value: s,
  label: `${SERIES_LABELS[s]}（${SERIES_DOCUMENTS[s]}）`,
}));

/**
 * The pattern as the administrator reads and types it: {年度} and {序号} (the stored form keeps
 * {year} and {seq}, which are also accepted when typed).
 */
const toShown = (p: string | undefined) =>
  (p ?? '').replace(/\{year\}/g, '{年度}').replace(/\{seq(:\d+)?\}/g, (_, w: string | undefined) => `{序号${w ?? ''}}`);
const toStored = (p: string | undefined) =>
  (p ?? '')
    .replace(/\{年度\}/g, '{year}')
    .replace(/\{序号([:：]\d+)?\}/g, (_, w: string | undefined) => `{seq${w ? `:${w.slice(1)}` : ''}}`);

export function NumberingTab() {
  const numberingAddBlock = useRpcMutation('numbering.addBlock');
  const { message } = App.useApp();
  const [form] = Form.useForm<ApiInput<'numbering.addBlock'>>();
  const numberingReturnBlock = useRpcMutation('numbering.returnBlock');
  const blocks = useRpcQuery('numbering.listBlocks', {});
  const [pattern, year, first] = [Form.useWatch('pattern', form), Form.useWatch('year', form), Form.useWatch('first', form)];
  const preview = previewNumber(pattern, year, first);
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
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="未设置号段的序列，首次出具文书时本机自动启用默认号段（1–9999），文号格式如下；可随时新增号段改用本单位的格式。联网登记后由中心分配号段。"
        description={NUMBER_SERIES.filter((s) => s !== 'delivery')
          .map((s) => `${SERIES_LABELS[s]}：${previewNumber(DEFAULT_PATTERNS[s], new Date().getFullYear(), 1) ?? ''}`)
          .join('；')}
      />
      <Table
        rowKey="id"
        size="small"
        dataSource={blocks.data ?? []}
        pagination={false}
        locale={{ emptyText: '本机尚无文号号段：首次出具文书时将自动启用默认号段' }}
        columns={[
          { title: '序列', dataIndex: 'series', render: (s: string) => seriesLabel(s) },
          { title: '年度', dataIndex: 'year' },
          { title: '文号格式', dataIndex: 'pattern', render: (p: string) => toShown(p) },
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
          layout="vertical"
          onFinish={(v) => void add(v)}
          initialValues={{ year: new Date().getFullYear(), series: 'intake', pattern: DEFAULT_PATTERNS.intake, first: 1, last: 9999 }}
          style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', columnGap: 16 }}
        >
          <Form.Item name="series" label="序列" rules={[{ required: true, message: '请选择序列' }]}>
            <Choice options={SERIES} aria-label="序列" />
          </Form.Item>
          <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2020} max={2100} aria-label="年度" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="pattern"
            label="文号格式"
            tooltip="{年度} 为年度，{序号} 为序号，{序号:4} 为补足四位的序号"
            rules={[{ required: true, message: '请填写文号格式' }]}
            getValueProps={(v: string | undefined) => ({ value: toShown(v) })}
            normalize={(v: string) => toStored(v)}
          >
            <Input placeholder="青人社鉴〔{年度}〕第{序号:4}号" aria-label="文号格式" />
          </Form.Item>
          <Form.Item name="issuer" label="发文机关" rules={[{ required: true, message: '请填写发文机关' }]}>
            <Input placeholder="例如 西宁市人力资源和社会保障局" aria-label="发文机关" />
          </Form.Item>
          <Form.Item name="first" label="起始号" rules={[{ required: true, message: '请填写起始号' }]}>
            <InputNumber min={1} aria-label="起始号" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="last" label="结束号" rules={[{ required: true, message: '请填写结束号' }]}>
            <InputNumber min={1} aria-label="结束号" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="下一个文号预览" style={{ gridColumn: 'span 2' }}>
            <Typography.Text strong data-testid="number-preview">
              {preview ?? '文号格式须包含 {序号}'}
            </Typography.Text>
          </Form.Item>
          <Form.Item label=" ">
            <Button type="primary" htmlType="submit">
              设置号段
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </>
  );
}
