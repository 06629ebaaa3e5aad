// 系统管理: accounts and roles, settings, backups and the recovery key, the audit trail.
import { Tabs } from 'antd';
import { UsersTab } from './UsersTab';
import { SettingsTab } from './SettingsTab';
import { AuditTab } from './AuditTab';
import { ReferenceTab } from './ReferenceTab';
import { NumberingTab } from './NumberingTab';
import { ExpertsTab } from './ExpertsTab';
import { TrustedDevicesTab } from './TrustedDevicesTab';
import { BackupTab } from './BackupTab';

export function AdminPage() {
  return (
    <Tabs
      items={[
        { key: 'users', label: '用户与角色', children: <UsersTab /> },
        { key: 'reference', label: '平台与事故备案', children: <ReferenceTab /> },
        { key: 'numbering', label: '文号号段', children: <NumberingTab /> },
        { key: 'experts', label: '专家库', children: <ExpertsTab /> },
        { key: 'devices', label: '可信设备', children: <TrustedDevicesTab /> },
        { key: 'settings', label: '系统设置', children: <SettingsTab /> },
        { key: 'backup', label: '备份与恢复', children: <BackupTab /> },
        { key: 'audit', label: '审计日志', children: <AuditTab /> },
      ]}
    />
  );
}
