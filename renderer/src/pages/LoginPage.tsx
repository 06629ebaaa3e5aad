// Sign-in with a named account.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { invoke, setSessionToken } from '../transport';
import { errorMessage } from '../errors';
import type { SessionInfo } from '../App';

export function LoginPage({ appName, onSignedIn }: { appName: string; onSignedIn: (s: SessionInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ username: string; password: string }>();

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const r = await invoke('auth.login', v);
      if (!r.ok) {
        setError(r.message);
        form.setFieldValue('password', '');
        return;
      }
      setSessionToken(r.sessionToken);
      onSignedIn({ ...r.session, locked: false });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-page">
      <Card title={`${appName} · 登录`} style={{ width: 400 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
