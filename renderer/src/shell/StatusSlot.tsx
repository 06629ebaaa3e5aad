// Online/offline and sync status, always visible in the header: the same status the 同步 page
// shows (whether the centre answered, what waits, problems, a revoked computer), one click away.
import { useEffect, useState } from 'react';
import { Badge, Tooltip } from 'antd';
import { useRpcQuery } from '../rpc';
import type { SyncStatus } from '../../../shared/api/methods/sync';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', on);
    };
  }, []);
  return online;
}

function describe(s: SyncStatus | undefined): { text: string; badge: 'success' | 'default' | 'error' | 'warning' | 'processing' } {
  if (!s) return { text: '同步状态未知', badge: 'default' };
  if (!s.configured) return { text: '未注册中心，数据保存在本机', badge: 'default' };
  if (s.revoked) return { text: '本机已被中心停用', badge: 'error' };
  if (s.running) return { text: '正在同步…', badge: 'processing' };
  const problems = s.rejected + s.conflicts;
  const waiting = s.pendingOutbox > 0 ? `待上传 ${s.pendingOutbox} 条` : '已同步';
  if (!s.online) return { text: `未连接中心 · ${waiting}`, badge: 'default' };
  if (problems > 0) return { text: `${waiting} · ${problems} 条待处理`, badge: 'warning' };
  return { text: `已连接中心 · ${waiting}`, badge: 'success' };
}

export function StatusSlot() {
  const online = useOnline();
  const sync = useRpcQuery('sync.status', {}, { refetchInterval: 30_000 });
  const s = sync.data;
  const d = describe(s);
  const tip = [
    s?.lastSyncAt ? `上次成功同步：${s.lastSyncAt}` : null,
    s?.lastError ? `上次错误：${s.lastError}` : null,
    '所有数据都先保存在本机，断网时可照常办理',
  ]
    .filter(Boolean)
    .join('；');
  return (
    <Tooltip title={tip}>
      <span data-testid="status-slot">
        <Badge status={online ? 'success' : 'default'} text={online ? '网络在线' : '离线'} />
        <span style={{ marginLeft: 12 }}>
          <Badge status={d.badge} text={<span style={{ color: '#666' }}>{d.text}</span>} />
        </span>
      </span>
    </Tooltip>
  );
}
