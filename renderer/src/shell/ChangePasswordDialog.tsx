// Lets the signed-in person change their own password.
import { App, Form, Input, Modal } from 'antd';
import { invoke } from '../transport';
import { applyFieldErrors } from '../errors';

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string }>();
  const { message } = App.useApp();
  async function submit() {
    const v = await form.validateFields();
    try {
      await invoke('auth.changePassword', v);
      void message.success('密码已修改');
      form.resetFields();
      onClose();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Modal open={open} title="修改密码" okText="保存" cancelText="取消" onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          rules={[{ required: true, message: '请输入新密码' }]}
          extra="至少 10 个字符，同时包含字母和数字"
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
