// The home page: who is signed in and, as the case issues land, their worklist.
import { Card, Descriptions, Empty, Space } from 'antd';
import type { SessionInfo } from '../App';
import { ROLE_LABELS } from '../../../shared/roles';

export function HomePage({ session }: { session: SessionInfo }) {
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={`您好，${session.user.displayName}`}>
        <Descriptions column={2} size="small">
          <Descriptions.Item label="用户名">{session.user.username}</Descriptions.Item>
          <Descriptions.Item label="角色">{session.user.roles.map((r) => ROLE_LABELS[r]).join('、')}</Descriptions.Item>
          <Descriptions.Item label="空闲锁定">{session.idleLockMinutes} 分钟</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="临期与逾期待办">
        <Empty description="暂无待办案件" />
      </Card>
    </Space>
  );
}
