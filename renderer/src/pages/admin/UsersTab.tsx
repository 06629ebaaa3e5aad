// Accounts: create, change roles, enable/disable, reset a password.
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Switch, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import { ROLES, ROLE_LABELS, type Role } from '../../../../shared/roles';
import type { User } from '../../../../shared/api/methods/auth';
import { Choice } from '../../forms/Choice';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function UsersTab() {
  const { message } = App.useApp();
  const users = useRpcQuery('users.list', {});
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);

  const update = useRpcMutation('users.update', {
    onSuccess: () => void message.success('已保存'),
    onError: (e) => void message.error(errorMessage(e)),
  });

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          新建用户
        </Button>
      </Space>
      <Table<User>
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data ?? []}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          {
            title: '角色',
            render: (_, u) => (
              <Choice<Role[]>
                mode="multiple"
                style={{ minWidth: 280 }}
                value={u.roles}
                options={roleOptions}
                onChange={(roles) => roles.length > 0 && update.mutate({ userId: u.id, roles })}
                aria-label={`${u.username} 的角色`}
              />
            ),
          },
          { title: '启用', render: (_, u) => <Switch checked={u.active} onChange={(active) => update.mutate({ userId: u.id, active })} /> },
          {
            title: '状态',
            render: (_, u) => (u.lockedUntil && new Date(u.lockedUntil) > new Date() ? <Tag color="red">锁定中</Tag> : <Tag>正常</Tag>),
          },
          {
            title: '操作',
            render: (_, u) => (
              <Button size="small" onClick={() => setResetting(u)}>
                重置密码
              </Button>
            ),
          },
        ]}
      />
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const usersCreate = useRpcMutation('users.create');
  const [form] = Form.useForm<{ username: string; displayName: string; password: string; roles: Role[] }>();
  const { message } = App.useApp();
  async function submit() {
    const v = await form.validateFields();
    try {
      await usersCreate.mutateAsync(v);
      void message.success(`已创建用户 ${v.username}`);
      form.resetFields();
      onClose();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Modal open={open} title="新建用户" okText="创建" cancelText="取消" onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          rules={[{ required: true, message: '请输入初始密码' }]}
          extra="至少 10 个字符，同时包含字母和数字"
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={[{ required: true, message: '至少选择一个角色' }]}>
          <Choice mode="multiple" options={roleOptions} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const usersResetPassword = useRpcMutation('users.resetPassword');
  const [form] = Form.useForm<{ newPassword: string }>();
  const { message } = App.useApp();
  async function submit() {
    if (!user) return;
    const v = await form.validateFields();
    try {
      await usersResetPassword.mutateAsync({ userId: user.id, newPassword: v.newPassword });
      void message.success(`已重置 ${user.username} 的密码，其登录会话已结束`);
      form.resetFields();
      onClose();
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <Modal
      open={!!user}
      title={`重置密码：${user?.username ?? ''}`}
      okText="重置"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="newPassword" label="新密码" rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
