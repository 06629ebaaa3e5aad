// 零星报销: bills entered per case, totals, and the reimbursement of each bill.
import { useState } from 'react';
import { Alert, App, Button, Col, Descriptions, Form, Input, Row, Table, Tag } from 'antd';
import { useRpcMutation } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { DeadlineTag } from '../../format';
import { DateField } from '../../forms/DateField';

interface BillForm {
  billDate: string;
  hospital: string;
  invoiceNo: string;
  amount: string;
  eligible: string;
  submittedDate: string;
}

export function BillsTab({ c }: { c: CaseDetail }) {
  const billsAdd = useRpcMutation('bills.add');
  const billsReimburse = useRpcMutation('bills.reimburse');
  const [form] = Form.useForm<BillForm>();
  const { message, modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const canAdd = ['accepted', 'confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'deceased'].includes(
    c.status,
  );
  const canPay = ['confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'deceased'].includes(c.status);

  async function add(v: BillForm) {
    setError(null);
    try {
      await billsAdd.mutateAsync({ caseId: c.id, ...v });
      void message.success('票据已录入');
      form.resetFields();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }

  /** 报销 pays the fund's money out: say what happens and ask first. */
  function confirmReimburse(b: CaseDetail['bills'][number]) {
    modal.confirm({
      title: '确认报销？',
      content: `将按可报销金额 ${b.eligible} 元报销票据 ${b.invoiceNo}（${b.hospital}），由职业伤害保障基金支付并记入审计日志。报销后不能撤销，同一张票据不能再次报销。`,
      okText: '确认报销',
      cancelText: '取消',
      onOk: () => reimburse(b.id),
    });
  }

  async function reimburse(billId: string) {
    try {
      await billsReimburse.mutateAsync({ billId });
      void message.success('已报销');
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  const reimbursementDeadline = c.deadlines.filter((d) => d.code === 'medical_reimbursement');
  return (
    <>
      <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="票据合计">{c.billTotals.amount} 元</Descriptions.Item>
        <Descriptions.Item label="可报销合计">{c.billTotals.eligible} 元</Descriptions.Item>
        <Descriptions.Item label="已报销">{c.billTotals.reimbursed} 元</Descriptions.Item>
        <Descriptions.Item label="报销时限">
          {reimbursementDeadline.length ? reimbursementDeadline.map((d, i) => <DeadlineTag key={i} d={d} />) : '—'}
        </Descriptions.Item>
      </Descriptions>
      {c.platformBorne && (
        <Alert
          style={{ marginBottom: 12 }}
          type="warning"
          showIcon
          message={`平台企业逾期申请：${c.platformBorne.from} 至 ${c.platformBorne.to} 期间的医疗费由平台企业承担（${c.platformBorne.article}），列入平台企业费用告知书，基金不予报销`}
        />
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.bills}
        locale={{ emptyText: '尚未录入票据' }}
        columns={[
          { title: '就诊日期', dataIndex: 'billDate' },
          { title: '医院', dataIndex: 'hospital' },
          { title: '票据号', dataIndex: 'invoiceNo' },
          { title: '金额（元）', dataIndex: 'amount', align: 'right' },
          { title: '可报销（元）', dataIndex: 'eligible', align: 'right' },
          { title: '提交日期', dataIndex: 'submittedDate' },
          {
            title: '承担方',
            dataIndex: 'payer',
            render: (p: string) => (p === 'platform' ? <Tag color="orange">平台企业</Tag> : '基金'),
          },
          {
            title: '报销',
            render: (_, b) =>
              b.payer === 'platform' ? (
                <span style={{ color: '#999' }}>由平台企业支付</span>
              ) : b.reimbursedAt ? (
                <Tag color="green">已报销 {b.reimbursedAt.slice(0, 10)}</Tag>
              ) : (
                <Button
                  size="small"
                  disabled={!canPay}
                  title={canPay ? undefined : '确认为职业伤害后才能报销'}
                  onClick={() => confirmReimburse(b)}
                >
                  报销
                </Button>
              ),
          },
        ]}
      />
      {canAdd && (
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} style={{ marginTop: 16 }}>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Row gutter={8}>
            <Col span={4}>
              <Form.Item name="billDate" label="就诊日期" rules={[{ required: true, message: '必填' }]}>
                <DateField />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="hospital" label="医院" rules={[{ required: true, message: '必填' }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="invoiceNo" label="票据号" rules={[{ required: true, message: '必填' }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={3}>
              <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '必填' }]}>
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col span={3}>
              <Form.Item name="eligible" label="可报销（元）" rules={[{ required: true, message: '必填' }]}>
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="submittedDate" label="提交日期" rules={[{ required: true, message: '必填' }]}>
                <DateField />
              </Form.Item>
            </Col>
            <Col span={2}>
              <Form.Item label=" ">
                <Button htmlType="submit" type="primary">
                  录入
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
    </>
  );
}
