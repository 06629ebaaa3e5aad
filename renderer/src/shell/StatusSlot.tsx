// Online/offline and sync status, always visible in the header.
import { useEffect, useState } from 'react';
import { Badge, Tooltip } from 'antd';
import { useRpcQuery } from '../rpc';

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

export function StatusSlot() {
  const online = useOnline();
  const sync = useRpcQuery('sync.status', {}, { refetchInterval: 30_000 });
  const s = sync.data;
  const text = !s ? '同步状态未知' : !s.configured ? '未配置中心同步' : s.pendingOutbox > 0 ? `待上传 ${s.pendingOutbox} 条` : '已同步';
  const tip = s?.lastSyncAt ? `上次同步：${s.lastSyncAt}` : '所有数据都保存在本机，断网时可照常办理';
  return (
    <Tooltip title={tip}>
      <span data-testid="status-slot">
        <Badge status={online ? 'success' : 'default'} text={online ? '网络在线' : '离线'} />
        <span style={{ marginLeft: 12, color: '#888' }}>{text}</span>
      </span>
    </Tooltip>
  );
}
