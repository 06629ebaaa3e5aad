// The frame around every screen: navigation by area, the sync/online status slot, the account
// menu, the keyboard shortcuts and the help panel (F1).
import { Avatar, Button, Dropdown, Layout, Menu, Modal, Space, Typography } from 'antd';
import { FontSizeOutlined, KeyOutlined, LockOutlined, LogoutOutlined, QuestionCircleOutlined, UserOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import type { SessionInfo } from '../App';
import { invoke } from '../transport';
import { ROLE_LABELS } from '../../../shared/roles';
import { visibleAreas } from './areas';
import { useHashRoute } from './useHashRoute';
import { StatusSlot } from './StatusSlot';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { SessionContext } from './session-context';
import { HelpPanel } from './HelpPanel';
import { useGlobalShortcuts } from './shortcuts';
import { useLargeText } from './large-text';
import { CaseSearch } from '../pages/cases/CaseList';

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
  const [help, setHelp] = useState(false);
  const [searching, setSearching] = useState(false);
  const { large, setLarge } = useLargeText();
  const roles = session.user.roles;
  const caseArea = roles.includes('intake_clerk') ? 'intake' : roles.includes('confirmation_officer') ? 'confirmation' : 'intake';
  const shortcuts = useMemo(
    () => ({
      help: () => setHelp(true),
      search: () => {
        const box = document.querySelector<HTMLInputElement>('[data-shortcut="search"] input, input[data-shortcut="search"]');
        if (box && box.offsetParent !== null) box.focus();
        else setSearching(true);
      },
      newClaim: () => {
        if (roles.includes('intake_clerk')) go('intake/new');
      },
    }),
    [roles, go],
  );
  useGlobalShortcuts(shortcuts);

  const accountMenu = {
    items: [
      { key: 'roles', label: session.user.roles.map((r) => ROLE_LABELS[r]).join('、'), disabled: true },
      { type: 'divider' as const },
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { key: 'large', icon: <FontSizeOutlined />, label: large ? '恢复标准字号' : '大字号' },
      { key: 'help', icon: <QuestionCircleOutlined />, label: '帮助（F1）' },
      { key: 'lock', icon: <LockOutlined />, label: '锁定屏幕' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') setChangingPassword(true);
      if (key === 'large') setLarge(!large);
      if (key === 'help') setHelp(true);
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
            <Button type="text" icon={<QuestionCircleOutlined />} onClick={() => setHelp(true)} aria-label="帮助（F1）">
              帮助
            </Button>
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
        <Layout.Content style={{ padding: 24 }}>
          <SessionContext.Provider value={session}>{current.page(session, route.rest)}</SessionContext.Provider>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#999', padding: 12 }}>职伤保障工作台 {version} 版</Layout.Footer>
      </Layout>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} />
      <HelpPanel open={help} onClose={() => setHelp(false)} roles={roles} />
      <Modal open={searching} title="检索案件" footer={null} width={1100} onCancel={() => setSearching(false)} destroyOnHidden>
        <CaseSearch
          autoFocus
          onOpen={(id) => {
            setSearching(false);
            go(`${caseArea}/case/${id}`);
          }}
        />
      </Modal>
    </Layout>
  );
}
