// 登记死亡 (第二十九条): the date, whether the occupational injury caused it, and the proof. The
// move is irreversible, so the form asks for confirmation before it is recorded.
import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio } from 'antd';
import { useRpcMutation } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { STATUS_LABELS } from '../../../../shared/cases/lifecycle';
import { DateField } from '../../forms/DateField';

interface DeathForm {
  deathDate: string;
  causedByInjury: boolean;
  evidence: string;
  note: string;
}

export function DeathDialog({ c, open, onClose }: { c: CaseDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<DeathForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recordDeath = useRpcMutation('cases.recordDeath');
  const { message, modal } = App.useApp();

  async function record(v: DeathForm) {
    setBusy(true);
    setError(null);
    try {
      const r = await recordDeath.mutateAsync({ caseId: c.id, expectedVersion: c.version, ...v, note: v.note ?? '' });
      void message.success(`已登记死亡，案件状态：${STATUS_LABELS[r.status]}`);
      form.resetFields();
      onClose();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  }

  function confirm() {
    void form.validateFields().then((v) => {
      modal.confirm({
        title: '确认登记死亡？',
        content: `死亡日期 ${v.deathDate}，${v.causedByInjury ? '因职业伤害导致' : '非因职业伤害导致'}。登记后不能撤销，案件将转入死亡待遇核定。`,
        okText: '确认登记',
        cancelText: '返回修改',
        onOk: () => record(v),
      });
    });
  }

  return (
    <Modal
      open={open}
      title="登记死亡"
      okText="登记"
      cancelText="取消"
      onCancel={onClose}
      onOk={confirm}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ causedByInjury: true, note: '' }}>
        <Form.Item name="deathDate" label="死亡日期" rules={[{ required: true, message: '请填写死亡日期' }]}>
          <DateField aria-label="死亡日期" />
        </Form.Item>
        <Form.Item name="causedByInjury" label="死亡原因" rules={[{ required: true, message: '请选择' }]}>
          <Radio.Group
            options={[
              { value: true, label: '因职业伤害导致' },
              { value: false, label: '非因职业伤害导致' },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="evidence"
          label="死亡证明（名称、编号、出具机构）"
          rules={[{ required: true, message: '请填写死亡证明' }]}
          extra="如：居民死亡医学证明（推断）书 No.…，某医院出具"
        >
          <Input maxLength={200} aria-label="死亡证明" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
