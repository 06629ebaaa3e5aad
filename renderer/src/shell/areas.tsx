// The navigation areas. Each feature issue fills its area by pointing `page` at its screen.
import type { ReactNode } from 'react';
import {
  FileProtectOutlined,
  HomeOutlined,
  MedicineBoxOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SyncOutlined,
  TeamOutlined,
  AccountBookOutlined,
  LineChartOutlined,
} from '@ant-design/icons';
import type { Role } from '../../../shared/roles';
import type { SessionInfo } from '../App';
import { HomePage } from '../pages/HomePage';
import { AdminPage } from '../pages/admin/AdminPage';
import { PendingArea } from '../pages/PendingArea';
import { IntakePage } from '../pages/IntakePage';
import { NoticesPage } from '../pages/notices/NoticesPage';
import { AppraisalPage } from '../pages/appraisal/AppraisalPage';
import { BenefitsPage } from '../pages/benefits/BenefitsPage';
import { ConfirmationPage } from '../pages/ConfirmationPage';
import { MonitoringPage } from '../pages/monitoring/MonitoringPage';

export interface Area {
  key: string;
  label: string;
  icon: ReactNode;
  /** Who sees the area; undefined = everyone signed in. */
  roles?: Role[];
  page: (session: SessionInfo, rest: string[]) => ReactNode;
}

export const AREAS: Area[] = [
  { key: 'home', label: '首页', icon: <HomeOutlined />, page: (s) => <HomePage session={s} /> },
  {
    key: 'intake',
    label: '受理大厅',
    icon: <TeamOutlined />,
    roles: ['intake_clerk', 'admin'],
    page: (s, rest) => <IntakePage rest={rest} />,
  },
  {
    key: 'confirmation',
    label: '职业伤害确认',
    icon: <SafetyCertificateOutlined />,
    roles: ['confirmation_officer', 'admin'],
    page: (s, rest) => <ConfirmationPage rest={rest} />,
  },
  {
    key: 'appraisal',
    label: '鉴定专场',
    icon: <MedicineBoxOutlined />,
    roles: ['appraisal_secretary', 'appraisal_expert', 'appraisal_leader', 'admin'],
    page: (s, rest) => <AppraisalPage rest={rest} session={s} />,
  },
  {
    key: 'benefits',
    label: '待遇核定',
    icon: <AccountBookOutlined />,
    roles: ['benefit_officer', 'benefit_reviewer', 'insurance_reviewer', 'admin'],
    page: (s, rest) => <BenefitsPage rest={rest} session={s} />,
  },
  {
    key: 'monitoring',
    label: '运行监测',
    icon: <LineChartOutlined />,
    roles: ['manager', 'admin', 'confirmation_officer', 'benefit_officer', 'benefit_reviewer'],
    page: (s, rest) => <MonitoringPage session={s} rest={rest} />,
  },
  { key: 'notices', label: '文书', icon: <FileProtectOutlined />, page: () => <NoticesPage /> },
  { key: 'sync', label: '同步', icon: <SyncOutlined />, page: () => <PendingArea title="同步" /> },
  { key: 'admin', label: '系统管理', icon: <SettingOutlined />, roles: ['admin'], page: () => <AdminPage /> },
];

export function visibleAreas(session: SessionInfo): Area[] {
  return AREAS.filter((a) => !a.roles || a.roles.some((r) => session.user.roles.includes(r)));
}
