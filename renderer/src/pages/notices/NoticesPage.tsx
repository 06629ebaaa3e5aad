// 文书: every issued document (open, print, download) and the verification screen.
import { Card, Tabs } from 'antd';
import { NoticeList } from './NoticeList';
import { VerifyPanel } from './VerifyPanel';

export function NoticesPage() {
  return (
    <Card size="small">
      <Tabs
        items={[
          { key: 'list', label: '已出具文书', children: <NoticeList /> },
          { key: 'verify', label: '核验文书', children: <VerifyPanel /> },
        ]}
      />
    </Card>
  );
}
