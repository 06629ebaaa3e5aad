// The case's payee account (收款人, 开户银行, 账号): shown (the number whole only for the roles
// that pay), recorded or changed by the clerk or the benefit officer; once a determination is
// approved a change asks for its reason.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { useRpcMutation } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';

interface Values {
  name: string;
  bank: string;
  account: string;
  reason?: string;
}

export function PayeeCard({ c }: { c: CaseDetail }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const save = useRpcMutation('cases.setPayee');
  const p = c.payee;

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    try {
      await save.mutateAsync({ caseId: c.id, payee: { name: v.name, bank: v.bank, account: v.account }, reason: v.reason ?? '' });
      void message.success('收款账户已保存');
      setOpen(false);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }

  return (
    <Card
      size="small"
      title="收款账户"
      style={{ marginBottom: 12 }}
      extra={
        c.payeeEdit.allowed && (
          <Button
            size="small"
            onClick={() => {
              form.setFieldsValue({
                name: p?.name ?? c.worker.name,
                bank: p?.bank ?? '',
                account: p && !p.accountMasked ? p.account : '',
                reason: '',
              });
              setError(null);
              setOpen(true);
            }}
          >
            {p ? '变更收款账户' : '登记收款账户'}
          </Button>
        )
      }
    >
      {p ? (
        <Descriptions size="small" column={1} data-testid="payee">
          <Descriptions.Item label="收款人">{p.name}</Descriptions.Item>
          <Descriptions.Item label="开户银行">{p.bank}</Descriptions.Item>
          <Descriptions.Item label="账号">{p.account}</Descriptions.Item>
          <Descriptions.Item label="登记">
            {p.updatedByName}，{p.updatedAt.slice(0, 10)}
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">未登记。待遇核定通知书将写明“以经办机构登记的收款人本人银行账户为准”。</Typography.Text>
      )}
      <Modal
        open={open}
        title={p ? '变更收款账户' : '登记收款账户'}
        okText="保存"
        cancelText="取消"
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        {c.payeeEdit.needsReason && p && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message="本案待遇核定已审核通过，款项可能已按原账户拨付。变更须填写理由，并记入审计日志。"
          />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="name" label="收款人" rules={[{ required: true, whitespace: true, message: '请填写收款人' }]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="bank" label="开户银行" rules={[{ required: true, whitespace: true, message: '请填写开户银行（到支行）' }]}>
            <Input maxLength={60} placeholder="例如：中国工商银行西宁城西支行" />
          </Form.Item>
          <Form.Item
            name="account"
            label="账号"
            rules={[
              { required: true, message: '请填写银行账号' },
              {
                validator: (_, v: string | undefined) => {
                  const d = (v ?? '').replace(/[\s-]/g, '');
                  if (d.length === 0) return Promise.resolve();
                  if (!/^\d+$/.test(d)) return Promise.reject(new Error('银行账号只能是数字（可含空格）'));
                  if (d.length < 12 || d.length > 30) return Promise.reject(new Error('银行账号应为 12 至 30 位数字'));
                  return Promise.resolve();
                },
              },
            ]}
          >
            <Input maxLength={40} inputMode="numeric" />
          </Form.Item>
          {c.payeeEdit.needsReason && p && (
            <Form.Item name="reason" label="变更理由" rules={[{ required: true, whitespace: true, message: '请填写变更理由' }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
