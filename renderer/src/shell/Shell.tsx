// The frame around every screen: navigation by area, the sync/online status slot and the
// account menu.
import { Avatar, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import { LockOutlined, LogoutOutlined, UserOutlined, KeyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { SessionInfo } from '../App';
import { invoke } from '../transport';
import { ROLE_LABELS } from '../../../shared/roles';
import { visibleAreas } from './areas';
import { useHashRoute } from './useHashRoute';
import { StatusSlot } from './StatusSlot';
import { ChangePasswordDialog } from './ChangePasswordDialog';

export function Shell({
  session,
  version,
  onSignOut,
  onLock,
}: {
  session: SessionInfo;
  version: string;
  onSignOut: () => void;
  onLock: () => void;
}) {
  const areas = visibleAreas(session);
  const [route, go] = useHashRoute();
  const current = areas.find((a) => a.key === route.area) ?? areas[0]!;
  const [changingPassword, setChangingPassword] = useState(false);

  const accountMenu = {
    items: [
      { key: 'roles', label: session.user.roles.map((r) => ROLE_LABELS[r]).join('、'), disabled: true },
      { type: 'divider' as const },
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { key: 'lock', icon: <LockOutlined />, label: '锁定屏幕' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') setChangingPassword(true);
      if (key === 'lock') onLock();
      if (key === 'logout') void invoke('auth.logout', {}).finally(onSignOut);
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #eee' }}>
        <div className="brand">职伤保障工作台</div>
        <Menu
          mode="inline"
          selectedKeys={[current.key]}
          items={areas.map((a) => ({ key: a.key, icon: a.icon, label: a.label }))}
          onClick={({ key }) => go(key)}
          aria-label="主导航"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {current.label}
          </Typography.Title>
          <Space size="large">
            <StatusSlot />
            <Dropdown menu={accountMenu} trigger={['click']}>
              <a onClick={(e) => e.preventDefault()} aria-label="账号菜单" data-testid="account-menu">
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} />
                  {session.user.displayName}
                </Space>
              </a>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{current.page(session, route.rest)}</Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#999', padding: 12 }}>职伤保障工作台 v{version}</Layout.Footer>
      </Layout>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}
