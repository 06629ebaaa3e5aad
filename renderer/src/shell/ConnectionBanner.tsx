// Says so when the local service stops answering (the web host closed, the machine asleep),
// instead of letting lists look empty; checks again every few seconds and refreshes every screen
// once it answers.
import { useEffect, useSyncExternalStore } from 'react';
import { Alert } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { invoke, isConnected, onConnectionChange } from '../transport';

const RETRY_MS = 3000;

export function ConnectionBanner() {
  const connected = useSyncExternalStore(onConnectionChange, isConnected);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (connected) return;
    const timer = setInterval(() => void invoke('system.info', {}).catch(() => undefined), RETRY_MS);
    return () => {
      clearInterval(timer);
      // Back: every list on screen is read again instead of showing what failed to load.
      void queryClient.invalidateQueries();
    };
  }, [connected, queryClient]);
  if (connected) return null;
  return (
    <Alert
      banner
      type="error"
      role="alert"
      data-testid="connection-lost"
      message="与本机服务的连接已中断"
      description="列表和数据可能不完整，此时的修改不会保存。请确认职伤保障工作台仍在运行；连接恢复后本页会自动刷新。"
      style={{ position: 'sticky', top: 0, zIndex: 1100 }}
    />
  );
}
