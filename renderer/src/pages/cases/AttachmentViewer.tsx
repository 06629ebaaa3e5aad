// Viewing and removing a case's scans inside the app: an image (from cases.attachment) or a PDF
// (documents.open {attachmentId}: the system viewer on the desktop, shown in this dialog in a
// browser) in one modal; removal asks a reason and says it cannot be undone. Each opening and
// each removal is audited by the core.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { fetchDownload, invoke } from '../../transport';
import { useRpcMutation } from '../../rpc';
import { errorMessage } from '../../errors';
import type { CaseDetail } from '../../../../shared/api/methods/cases';
import { blobUrl } from '../notices/pdf';

type Attachment = CaseDetail['attachments'][number];

interface Shown {
  a: Attachment;
  url: string;
  kind: 'image' | 'pdf';
}

export function useAttachmentViewer(c: CaseDetail): {
  view: (a: Attachment) => Promise<void>;
  askRemove: (a: Attachment) => void;
  dialogs: React.ReactNode;
} {
  const { message } = App.useApp();
  const [shown, setShown] = useState<Shown | null>(null);
  const [removing, setRemoving] = useState<Attachment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const remove = useRpcMutation('cases.removeAttachment');

  function close() {
    if (shown) URL.revokeObjectURL(shown.url);
    setShown(null);
  }

  async function view(a: Attachment) {
    try {
      if (a.mime === 'application/pdf') {
        const d = await invoke('documents.open', { attachmentId: a.id });
        if (d.via === 'desktop') {
          // The desktop shows PDFs in the system viewer (the app opens no PDF inside its window).
          if (!d.done) void message.warning(d.message);
          return;
        }
        const file = d.files[0];
        if (!file) return;
        setShown({ a, url: URL.createObjectURL(await fetchDownload(file.url)), kind: 'pdf' });
        return;
      }
      const r = await invoke('cases.attachment', { attachmentId: a.id });
      setShown({ a, url: blobUrl(r.dataBase64, r.mime), kind: 'image' });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  function askRemove(a: Attachment) {
    setError(null);
    form.resetFields();
    setRemoving(a);
  }

  async function confirmRemove() {
    if (!removing) return;
    let reason: string;
    try {
      reason = (await form.validateFields()).reason;
    } catch {
      return;
    }
    try {
      await remove.mutateAsync({ attachmentId: removing.id, reason });
      void message.success(`已删除附件 ${removing.filename}`);
      if (shown?.a.id === removing.id) close();
      setRemoving(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const dialogs = (
    <>
      <Modal
        open={!!shown}
        title={shown ? `查看附件：${shown.a.filename}` : ''}
        width={1000}
        onCancel={close}
        destroyOnHidden
        footer={
          <Space>
            {shown && c.canRemoveAttachments && (
              <Button danger onClick={() => askRemove(shown.a)}>
                删除此附件
              </Button>
            )}
            <Button onClick={close}>关闭</Button>
          </Space>
        }
      >
        {shown?.kind === 'image' && (
          <div style={{ maxHeight: 560, overflow: 'auto', textAlign: 'center' }}>
            <img src={shown.url} alt={shown.a.filename} style={{ maxWidth: '100%' }} data-testid="attachment-image" />
          </div>
        )}
        {shown?.kind === 'pdf' && (
          <iframe src={shown.url} title={shown.a.filename} style={{ width: '100%', height: 560, border: 0 }} data-testid="attachment-pdf" />
        )}
      </Modal>
      <Modal
        open={!!removing}
        title="删除附件"
        okText="确认删除"
        okButtonProps={{ danger: true, loading: remove.isPending }}
        cancelText="取消"
        onCancel={() => setRemoving(null)}
        onOk={() => void confirmRemove()}
        destroyOnHidden
      >
        <Typography.Paragraph>
          将删除附件“{removing?.filename}
          ”：案件中不再显示，其他设备同步后也不再显示，本机保存的加密文件随即删除。删除不能撤销，操作记入审计日志。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label="删除理由" rules={[{ required: true, whitespace: true, message: '请填写删除理由' }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder="例如：上传错了人的证件" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
  return { view, askRemove, dialogs };
}
