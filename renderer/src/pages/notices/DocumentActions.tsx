// What can be done to an issued document of a case: record its delivery (送达) to a party, which
// issues the signed 送达回证 and opens it for printing; and void it (作废) with a reason, after
// confirmation — its number is never given again and a new one can then be issued.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import { useRequestIds } from '../../request-id';
import { DELIVERY_METHOD_LABELS, DELIVERY_METHODS } from '../../../../shared/notices/schemas';
import { PARTY_LABELS, type PartyCode } from '../../../../shared/cases/enums';
import type { ApiOutput } from '../../../../shared/api/contract';
import { openDocument, tellOutcome } from './pdf';
import { DateField } from '../../forms/DateField';
import { Choice } from '../../forms/Choice';

type Doc = ApiOutput<'notices.list'>[number];
type Delivery = ApiOutput<'deliveries.list'>[number];

/** Documents that go to the parties (a 送达回证 or a hearing report does not). */
export const DELIVERABLE = [
  'acceptance',
  'supplement',
  'confirmation',
  'non-confirmation',
  'appraisal-conclusion',
  'benefit-determination',
  'platform-statement',
];

interface DeliverForm {
  party: PartyCode;
  method: (typeof DELIVERY_METHODS)[number];
  deliveredOn: string;
  receiver: string;
  note: string;
}

export function DeliverButton({ doc, parties, today }: { doc: Doc; parties: PartyCode[]; today: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DeliverForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recordDelivery = useRpcMutation('deliveries.record');
  const { message } = App.useApp();
  const ids = useRequestIds();

  async function record() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    const key = `${doc.id}-${v.party}`;
    try {
      const r = await recordDelivery.mutateAsync({ documentId: doc.id, ...v, note: v.note ?? '', requestId: ids.current(key) });
      ids.done(key);
      void message.success(`已登记送达，出具 ${r.receipt.documentNo}`);
      setOpen(false);
      tellOutcome(message, await openDocument({ documentId: r.receipt.id }));
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size="small"
        onClick={() => {
          form.resetFields();
          form.setFieldsValue({ party: parties[0], method: 'direct', deliveredOn: today, note: '' });
          setError(null);
          setOpen(true);
        }}
      >
        送达
      </Button>
      <Modal
        open={open}
        title={`登记送达：${doc.typeLabel} ${doc.documentNo}`}
        okText="登记并出具送达回证"
        cancelText="取消"
        onOk={() => void record()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="party" label="受送达人" rules={[{ required: true, message: '请选择受送达人' }]}>
            <Radio.Group options={parties.map((p) => ({ value: p, label: PARTY_LABELS[p] }))} />
          </Form.Item>
          <Form.Item name="method" label="送达方式" rules={[{ required: true, message: '请选择送达方式' }]}>
            <Choice aria-label="送达方式" options={DELIVERY_METHODS.map((m) => ({ value: m, label: DELIVERY_METHOD_LABELS[m] }))} />
          </Form.Item>
          <Form.Item
            name="deliveredOn"
            label="送达（签收）日期"
            rules={[{ required: true, message: '请填写送达日期' }]}
            extra="再次鉴定、补正、行政复议和行政诉讼的期限自此日起算"
          >
            <DateField aria-label="送达日期" />
          </Form.Item>
          <Form.Item name="receiver" label="签收人" rules={[{ required: true, message: '请填写签收人' }]}>
            <Input maxLength={60} aria-label="签收人" />
          </Form.Item>
          <Form.Item name="note" label="备注（邮件单号、公告载体等）">
            <Input maxLength={300} aria-label="送达备注" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function VoidButton({ doc }: { doc: Doc }) {
  const { modal, message } = App.useApp();
  const voidNotice = useRpcMutation('notices.void');
  function ask() {
    let reason = '';
    // The reason's error stays in the dialog, next to the field (a toast alone is easily missed).
    const content = (missing: boolean) => (
      <Space direction="vertical" style={{ width: '100%' }}>
        <span>作废后该文书不再有效，文号不再使用；如需要，可重新出具（使用新文号）。此操作不能撤销。</span>
        <Input.TextArea
          rows={2}
          maxLength={500}
          placeholder="作废理由（必填）"
          aria-label="作废理由"
          status={missing ? 'error' : undefined}
          onChange={(e) => (reason = e.target.value)}
        />
        {missing && <Typography.Text type="danger">请填写作废理由，说明为什么作废这份文书</Typography.Text>}
      </Space>
    );
    const dialog = modal.confirm({
      title: `作废 ${doc.typeLabel} ${doc.documentNo}？`,
      content: content(false),
      okText: '确认作废',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        if (reason.trim() === '') {
          dialog.update({ content: content(true) });
          // Rejecting keeps the dialog open; nothing is sent.
          throw new Error('请填写作废理由');
        }
        try {
          await voidNotice.mutateAsync({ id: doc.id, reason });
          void message.success(`已作废 ${doc.documentNo}`);
        } catch (e) {
          void message.error(errorMessage(e));
          throw e;
        }
      },
    });
  }
  return (
    <Button size="small" danger onClick={ask}>
      作废
    </Button>
  );
}

/** Every delivery recorded on the case, with its 回证 and whether it still counts. */
export function DeliveriesTable({ caseId }: { caseId: string }) {
  const q = useRpcQuery('deliveries.list', { caseId });
  const { message } = App.useApp();
  return (
    <Table<Delivery>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={q.data ?? []}
      locale={{ emptyText: '尚未登记送达' }}
      title={() => '送达记录'}
      columns={[
        { title: '文书', render: (_, d) => `${d.typeLabel} ${d.documentNo}` },
        { title: '受送达人', render: (_, d) => PARTY_LABELS[d.party] },
        { title: '方式', render: (_, d) => DELIVERY_METHOD_LABELS[d.method] },
        { title: '送达日期', dataIndex: 'deliveredOn' },
        { title: '签收人', dataIndex: 'receiver' },
        { title: '登记人', dataIndex: 'recordedByName' },
        { title: '状态', render: (_, d) => (d.live ? <Tag color="green">有效</Tag> : <Tag>已作废</Tag>) },
        {
          title: '送达回证',
          render: (_, d) =>
            d.receiptId ? (
              <Button
                size="small"
                onClick={() =>
                  void openDocument({ documentId: d.receiptId! })
                    .then((o) => tellOutcome(message, o))
                    .catch((e: unknown) => void message.error(errorMessage(e)))
                }
              >
                查看
              </Button>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
