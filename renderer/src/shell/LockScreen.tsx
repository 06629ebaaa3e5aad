// The idle lock: covers the app until the same person enters their password again.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { invoke } from '../transport';
import { errorMessage } from '../errors';
import type { SessionInfo } from '../App';

export function LockScreen({ session, onUnlocked, onSignOut }: { session: SessionInfo; onUnlocked: () => void; onSignOut: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  async function unlock(v: { password: string }) {
    setError(null);
    try {
      const r = await invoke('auth.unlock', v);
      if (r.ok) onUnlocked();
      else {
        setError(r.message);
        form.resetFields();
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Modal
      open
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={null}
      title="屏幕已锁定"
      styles={{ mask: { backdropFilter: 'blur(8px)', background: 'rgba(20,30,50,0.6)' } }}
    >
      <Typography.Paragraph>
        {session.user.displayName}（{session.user.username}），长时间未操作，屏幕已锁定。请输入密码继续。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} onFinish={(v) => void unlock(v)} layout="vertical">
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            解锁
          </Button>
          <Button onClick={() => void invoke('auth.logout', {}).finally(onSignOut)}>退出登录</Button>
        </Space>
      </Form>
    </Modal>
  );
}
