// 留言与请求: notes and requests to the office holding a case (issue #13). On the case page every
// person who may see the case can leave one — also on a computer of an office that does not hold
// it, which may otherwise only look — and the holder's staff answer them; on the home page the
// holder's open ones are a small inbox. Answering is final, so it is confirmed in its own dialog.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import {
  CASE_REQUEST_ANSWERERS,
  CASE_REQUEST_KIND_LABELS,
  CASE_REQUEST_KINDS,
  type CaseRequestItem,
  type CaseRequestKind,
} from '../../../../shared/api/methods/case-requests';
import type { Role } from '../../../../shared/roles';

const when = (at: string) => at.slice(0, 16).replace('T', ' ');

function canAnswer(roles: readonly Role[]): boolean {
  return roles.some((r) => CASE_REQUEST_ANSWERERS.includes(r));
}

function AnswerButton({ item }: { item: CaseRequestItem }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ answer: string }>();
  const answer = useRpcMutation('caseRequests.answer');
  async function submit() {
    const v = await form.validateFields();
    try {
      await answer.mutateAsync({ id: item.id, answer: v.answer });
      void message.success('已答复（将随下次同步送达对方机构）');
      setOpen(false);
      form.resetFields();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <>
      <Button size="small" type="primary" data-testid="answer-request" onClick={() => setOpen(true)}>
        答复
      </Button>
      <Modal
        open={open}
        title={`答复 ${item.fromOffice} 的${item.kindLabel}`}
        okText="确认答复"
        cancelText="取消"
        confirmLoading={answer.isPending}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{item.body}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="answer" label="答复内容（答复后不能修改）" rules={[{ required: true, whitespace: true, message: '请填写答复' }]}>
            <Input.TextArea rows={4} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RequestLine({ item, roles }: { item: CaseRequestItem; roles: readonly Role[] }) {
  return (
    <List.Item
      data-testid="case-request"
      actions={item.status === 'open' && item.heldHere && canAnswer(roles) ? [<AnswerButton key="a" item={item} />] : []}
    >
      <List.Item.Meta
        title={
          <Space wrap>
            <Tag color={item.kind === 'note' ? 'default' : 'blue'}>{item.kindLabel}</Tag>
            <span>
              {item.fromOffice} · {item.fromName}
            </span>
            <Typography.Text type="secondary">{when(item.createdAt)}</Typography.Text>
            {item.status === 'open' ? <Tag color="orange">待答复</Tag> : <Tag color="green">已答复</Tag>}
          </Space>
        }
        description={
          <>
            <div>{item.body}</div>
            {item.answer && (
              <div style={{ marginTop: 4 }}>
                答复：{item.answer}（{item.answeredByName ?? '—'}，{item.answeredAt ? when(item.answeredAt) : ''}）
              </div>
            )}
          </>
        }
      />
    </List.Item>
  );
}

/** The case page's tab: the case's notes and requests, and a form to leave one. */
export function CaseRequestsTab({ caseId, heldHere, roles }: { caseId: string; heldHere: boolean; roles: readonly Role[] }) {
  const { message } = App.useApp();
  const q = useRpcQuery('caseRequests.list', { caseId, show: 'all' });
  const create = useRpcMutation('caseRequests.create');
  const [form] = Form.useForm<{ kind: CaseRequestKind; body: string }>();
  async function submit() {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ caseId, kind: v.kind, body: v.body });
      void message.success(heldHere ? '已记录' : '已记录，将随下次同步送达办理机构');
      form.resetFields();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!heldHere && (
        <Alert
          type="info"
          showIcon
          message="这件案件由其他机构办理：本机不能修改案件，但可以给办理机构留言或提出请求，对方答复后在这里显示。"
        />
      )}
      <Card size="small" title="留言或提出请求">
        <Form form={form} layout="vertical" initialValues={{ kind: heldHere ? 'note' : 'materials' }}>
          <Form.Item name="kind" label="类别">
            <Radio.Group options={CASE_REQUEST_KINDS.map((k) => ({ value: k, label: CASE_REQUEST_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="body" label="内容" rules={[{ required: true, whitespace: true, message: '请填写内容' }]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="request-body" />
          </Form.Item>
          <Button type="primary" loading={create.isPending} onClick={() => void submit()} data-testid="send-request">
            提交
          </Button>
        </Form>
      </Card>
      <List
        loading={q.isLoading}
        dataSource={q.data ?? []}
        locale={{ emptyText: '暂无留言或请求' }}
        renderItem={(item) => <RequestLine item={item} roles={roles} />}
      />
    </Space>
  );
}

/** The home page's inbox: open notes and requests on cases this office holds. */
export function RequestInbox({ roles, openCase }: { roles: readonly Role[]; openCase: (caseId: string) => void }) {
  const q = useRpcQuery('caseRequests.list', { caseId: null, show: 'open' }, { refetchInterval: 60_000 });
  if (!q.data || q.data.length === 0) return null;
  return (
    <Card title={`待答复的留言与请求（${q.data.length}）`} size="small" data-testid="request-inbox">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={q.data}
        columns={[
          { title: '案件', width: 200, render: (_, r) => <a onClick={() => openCase(r.caseId)}>{`${r.caseLabel} ${r.workerName}`}</a> },
          { title: '类别', dataIndex: 'kindLabel', width: 90 },
          { title: '来自', width: 220, render: (_, r) => `${r.fromOffice} · ${r.fromName}` },
          { title: '内容', dataIndex: 'body' },
          { title: '时间', width: 140, render: (_, r) => when(r.createdAt) },
          { title: '', width: 80, render: (_, r) => (canAnswer(roles) ? <AnswerButton item={r} /> : null) },
        ]}
      />
    </Card>
  );
}
