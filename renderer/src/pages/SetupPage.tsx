// First start: create the first administrator (no default password exists anywhere), then
// show the recovery key once.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { invoke } from '../transport';
import { applyFieldErrors } from '../errors';
import { RecoveryKeyNotice } from '../shell/RecoveryKeyNotice';

interface SetupForm {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

export function SetupPage({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<SetupForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);

  async function submit(v: SetupForm) {
    setBusy(true);
    setError(null);
    try {
      const r = await invoke('auth.setup', { username: v.username, displayName: v.displayName, password: v.password });
      setRecoveryKey(r.recoveryKey);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  }

  if (recoveryKey)
    return (
      <div className="center-page">
        <Card title="初始化完成：请保存恢复密钥" style={{ width: 520 }}>
          <RecoveryKeyNotice recoveryKey={recoveryKey} onDone={onDone} doneLabel="已保存，去登录" />
        </Card>
      </div>
    );

  return (
    <div className="center-page">
      <Card title="初始化：创建首个管理员" style={{ width: 440 }}>
        <Typography.Paragraph type="secondary">
          这是本机首次启动。请创建管理员账号，之后由管理员为受理、确认、鉴定和待遇人员分别开设账号。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item
            name="username"
            label="用户名"
            rules={[{ required: true, message: '请输入用户名' }]}
            extra="3–32 位小写字母、数字或 . _ -，以字母开头"
          >
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="password"
            label="密码"
            rules={[{ required: true, message: '请输入密码' }]}
            extra="至少 10 个字符，同时包含字母和数字"
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入密码"
            dependencies={['password']}
            rules={[
              { required: true, message: '请再次输入密码' },
              ({ getFieldValue }) => ({
                validator: (_r, value) =>
                  value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            创建管理员
          </Button>
        </Form>
      </Card>
    </div>
  );
}
