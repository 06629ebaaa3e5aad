// 疑点筛查: the flags to look into, by status and rule, each with its rule, evidence and case; a
// flag is cleared with a written reason after looking (audited). Flags never block a case.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { invoke } from '../../transport';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { SessionInfo } from '../../App';
import type { FlagQueueItem } from '../../../../shared/api/methods/desk';
import { FLAG_STATUS_LABELS, type FlagStatus } from '../../../../shared/screening/rules';
import { ExportButton } from '../../desk/ExportButton';
import { navigate } from '../../shell/useHashRoute';
import { listProps } from '../../desk/virtual';

export const FLAG_CLEARERS = ['confirmation_officer', 'benefit_officer', 'benefit_reviewer', 'manager'] as const;

export function canClearFlags(session: SessionInfo): boolean {
  return session.user.roles.some((r) => (FLAG_CLEARERS as readonly string[]).includes(r));
}

export function ClearFlagDialog({ flag, onClose }: { flag: { id: string; label: string; summary: string } | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const clearing = useRpcMutation('flags.clear');
  async function clear(reason: string) {
    setError(null);
    try {
      await clearing.mutateAsync({ flagId: flag!.id, reason });
      void message.success('疑点已清除，理由已记录');
      form.resetFields();
      onClose();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }
  return (
    <Modal
      open={!!flag}
      title="核查后清除疑点"
      okText="清除疑点"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => clear(v.reason))}
      destroyOnHidden
    >
      {flag && <Alert type="warning" showIcon message={flag.label} description={flag.summary} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label="核查情况和清除理由"
          rules={[{ required: true, message: '请写明核查情况和清除理由' }]}
          extra="清除后该疑点不再提示；理由和清除人记入审计日志。"
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function FlagQueue({ session }: { session: SessionInfo }) {
  const [status, setStatus] = useState<FlagStatus>('open');
  const [clearing, setClearing] = useState<FlagQueueItem | null>(null);
  const q = useRpcQuery('flags.queue', { status, code: null });
  const rows = q.data ?? [];
  const canClear = canClearFlags(session);
  return (
    <Card size="small">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as FlagStatus)}
            options={(['open', 'cleared', 'lapsed'] as const).map((s) => ({ value: s, label: FLAG_STATUS_LABELS[s] }))}
            aria-label="疑点状态"
          />
          <ExportButton run={(format) => invoke('exports.flags', { format, status, code: null })} />
          <Typography.Text type="secondary">
            共 {rows.length} 条{rows.length >= 2000 ? '（显示最新 2000 条，全部请导出）' : ''}。疑点只提示复核，不阻止办理。
          </Typography.Text>
        </Space>
        {q.isError && <Alert type="error" showIcon message={errorMessage(q.error)} />}
        <Table<FlagQueueItem>
          rowKey="id"
          size="small"
          loading={q.isLoading}
          dataSource={rows}
          {...listProps(rows.length, 520, 1100)}
          locale={{ emptyText: '没有此状态的疑点' }}
          columns={[
            { title: '案件', dataIndex: 'caseLabel', width: 190 },
            { title: '姓名', dataIndex: 'workerName', width: 90 },
            { title: '规则', dataIndex: 'label', width: 200, render: (v: string) => <Tag color="orange">{v}</Tag> },
            { title: '疑点说明', dataIndex: 'summary', width: 380 },
            { title: '依据', dataIndex: 'article', width: 160, ellipsis: true },
            {
              title: '',
              width: 150,
              render: (_, f) => (
                <Space size={4}>
                  <Button size="small" onClick={() => navigate(`monitoring/case/${f.caseId}`)}>
                    查看案件
                  </Button>
                  {canClear && f.status === 'open' && (
                    <Button size="small" onClick={() => setClearing(f)}>
                      清除
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Space>
      <ClearFlagDialog flag={clearing} onClose={() => setClearing(null)} />
    </Card>
  );
}
