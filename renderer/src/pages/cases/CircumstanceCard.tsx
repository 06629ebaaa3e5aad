// The case's 第十一条 circumstance beside its facts, with what stands in the way of confirming
// under it, and — until the decision — an editor for the clerk or the confirmation officer to
// complete it as the investigation finds (the 事故责任认定书 arrives, a commute turns out to be one).
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Modal } from 'antd';
import { useRpcMutation } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import type { Circumstance } from '../../../../shared/rules/injury-items';
import { CircumstanceFields, circumstanceValue } from './CircumstanceFields';
import { usePlatforms } from './usePlatforms';

const EDITABLE = ['registered', 'awaiting_supplement', 'accepted'];

export function CircumstanceCard({ c }: { c: CaseDetail }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ circumstance: Record<string, unknown> }>();
  const [error, setError] = useState<string | null>(null);
  const { options } = usePlatforms();
  const setCircumstance = useRpcMutation('cases.setCircumstance');
  const { message } = App.useApp();
  const canEdit = EDITABLE.includes(c.status);

  async function save() {
    const v = await form.validateFields();
    try {
      await setCircumstance.mutateAsync({
        caseId: c.id,
        expectedVersion: c.version,
        circumstance: circumstanceValue(v.circumstance) as Circumstance,
      });
      void message.success('已登记第十一条情形');
      setOpen(false);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }

  return (
    <Card
      size="small"
      title="第十一条情形"
      style={{ marginBottom: 12 }}
      extra={
        canEdit && (
          <Button
            size="small"
            onClick={() => {
              setError(null);
              form.setFieldsValue({ circumstance: c.accident.circumstance as unknown as Record<string, unknown> });
              setOpen(true);
            }}
          >
            修改
          </Button>
        )
      }
    >
      <div data-testid="circumstance">{c.accident.circumstanceLabel}</div>
      <div style={{ color: '#888' }}>{c.accident.circumstanceArticle}</div>
      {c.accident.circumstanceProblems.map((p) => (
        <Alert key={p} style={{ marginTop: 6 }} type="warning" showIcon message={p} />
      ))}
      <Modal
        open={open}
        title="登记第十一条情形"
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        width={720}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <CircumstanceFields form={form} name={['circumstance']} platformOptions={options} />
        </Form>
      </Modal>
    </Card>
  );
}
