// Trusted devices: this device's key line to give to the unit's other computers, and the lines
// registered from them (their notices then verify as valid, their 专场包 can be imported here and
// addressed to them). A device registered from an old OIPKEY1 line verifies but cannot receive.
import { App, Button, Card, Form, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { ApiInput } from '../../../../shared/api/contract';

export function TrustedDevicesTab() {
  const signersAdd = useRpcMutation('signers.add');
  const signersRemove = useRpcMutation('signers.remove');
  const { message } = App.useApp();
  const [form] = Form.useForm<ApiInput<'signers.add'>>();
  const q = useRpcQuery('signers.list', {});
  async function add(v: ApiInput<'signers.add'>) {
    try {
      const r = await signersAdd.mutateAsync(v);
      void message.success(r.upgraded ? `已为该设备补登加密公钥（指纹 ${r.fingerprint}）` : `已登记可信设备（指纹 ${r.fingerprint}）`);
      form.resetFields();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  async function remove(keyId: string) {
    try {
      await signersRemove.mutateAsync({ keyId });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title="本机签名密钥">
        <Typography.Paragraph>
          指纹：
          <Typography.Text strong code>
            {q.data?.own.fingerprint}
          </Typography.Text>
          （登记时请与对方口头核对指纹）
        </Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: q.data?.own.line ?? '' }} code style={{ wordBreak: 'break-all' }} aria-label="本机公钥">
          {q.data?.own.line}
        </Typography.Paragraph>
      </Card>
      <Table
        rowKey="keyId"
        size="small"
        pagination={false}
        dataSource={q.data?.trusted ?? []}
        locale={{ emptyText: '尚未登记其他设备：其他电脑出具的文书核验时会显示“签名设备未登记”' }}
        columns={[
          { title: '设备名称', dataIndex: 'label' },
          { title: '指纹', dataIndex: 'fingerprint', render: (v: string) => <code>{v}</code> },
          {
            title: '可接收专场包',
            dataIndex: 'canReceive',
            render: (v: boolean) => (v ? '是' : '否（旧版密钥行，请用对方新的密钥行重新登记）'),
          },
          { title: '登记时间', dataIndex: 'addedAt', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
          {
            title: '',
            render: (_, r) => (
              <Popconfirm
                title={`移除“${r.label}”后，它出具的文书将核验为“签名设备未登记”`}
                okText="移除"
                cancelText="取消"
                onConfirm={() => void remove(r.keyId)}
              >
                <Button size="small" danger>
                  移除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Card size="small" title="登记其他设备">
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)}>
          <Form.Item name="label" label="设备名称" rules={[{ required: true, message: '请填写设备名称，例如“鉴定现场笔记本 2 号”' }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item
            name="key"
            label={
              <span>
                对方设备的密钥行（整行，以 <code>OIPKEY2:</code> 开头）
              </span>
            }
            rules={[{ required: true, message: '请粘贴对方设备的公钥' }]}
          >
            <Input.TextArea rows={2} maxLength={400} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            登记
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
