// Top-level state: first-start setup → sign-in → the shell, with the idle lock over it.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Result, Spin } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { invoke, missingHostKey, onApiError, restoreSessionToken, setSessionToken } from './transport';
import { useLiveData, useRpcQuery } from './rpc';
import type { ApiOutput } from '../../shared/api/contract';
import { SetupPage } from './pages/SetupPage';
import { LoginPage } from './pages/LoginPage';
import { Shell } from './shell/Shell';
import { LockScreen } from './shell/LockScreen';
import { useIdleLock } from './shell/useIdleLock';
import { ConnectionBanner } from './shell/ConnectionBanner';

export type SessionInfo = ApiOutput<'auth.me'>;

export function App() {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const info = useRpcQuery('system.info', {});
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [restoring, setRestoring] = useState(true);

  const signOut = useCallback(() => {
    setSessionToken(null);
    setSession(null);
    // Nothing of one person's data stays cached. system.info is public and this component's own
    // query: removing it would cancel a fetch in flight (a refresh racing the sign-out) and
    // leave the start screen spinning.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'system.info' });
    queryClient.getMutationCache().clear();
    // Nothing of one person's work stays on screen for the next one.
    message.destroy();
  }, [queryClient, message]);

  // A reload keeps the tab's session if the server still knows it.
  useEffect(() => {
    if (!restoreSessionToken()) {
      setRestoring(false);
      return;
    }
    invoke('auth.me', {})
      .then(setSession)
      .catch(() => setSessionToken(null))
      .finally(() => setRestoring(false));
  }, []);

  useEffect(
    () =>
      onApiError((e) => {
        if (e.code === 'UNAUTHENTICATED') signOut();
        if (e.code === 'SESSION_LOCKED') setSession((s) => (s ? { ...s, locked: true } : s));
      }),
    [signOut],
  );

  const lock = useCallback(() => {
    void invoke('auth.lock', {}).finally(() => setSession((s) => (s ? { ...s, locked: true } : s)));
  }, []);
  useIdleLock(session && !session.locked ? session.idleLockMinutes : null, lock);
  // Screens follow changes made anywhere (this window, another one, later sync) while signed in.
  useLiveData(!!session && !session.locked);

  return (
    <>
      <ConnectionBanner />
      {screen()}
    </>
  );

  function screen() {
    // Opened from an address cut short: without its launch key the service refuses every call,
    // so say how to open it properly instead of waiting.
    if (missingHostKey() || (info.isError && info.error.code === 'UNAUTHENTICATED'))
      return (
        <Result
          status="warning"
          title="请使用完整的启动地址打开"
          subTitle="此页面的地址不完整，缺少应用启动时生成的一次性密钥，本机服务因此拒绝了访问。请回到启动职伤保障工作台的窗口，复制其中给出的完整地址（含“#”及其后的全部字符）在浏览器中打开；或关闭本页，重新启动应用。"
        />
      );
    if (info.isError)
      return (
        <Result
          status="error"
          title="无法连接到本机服务"
          subTitle="职伤保障工作台的本机服务没有回应。请确认应用仍在运行，然后重试；如仍失败，请关闭后重新启动应用。"
          extra={
            <Button type="primary" onClick={() => void info.refetch()}>
              重试
            </Button>
          }
        />
      );
    if (info.isLoading || restoring || !info.data) return <Spin fullscreen tip="正在启动…" />;
    if (info.data.needsSetup) return <SetupPage onDone={() => void info.refetch()} />;
    if (!session) return <LoginPage appName={info.data.appName} onSignedIn={setSession} />;
    return (
      <>
        <Shell session={session} version={info.data.version} onSignOut={signOut} onLock={lock} />
        {session.locked && (
          <LockScreen session={session} onUnlocked={() => setSession({ ...session, locked: false })} onSignOut={signOut} />
        )}
      </>
    );
  }
}
