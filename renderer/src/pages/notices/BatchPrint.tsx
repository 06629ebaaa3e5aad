// A batch of issued documents: combined into one file for the printer, or saved as individual
// files (each exactly as stored and signed), with a progress bar and a cancel button; the
// window stays usable while the host works.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Progress, Space } from 'antd';
import { invoke, subscribe } from '../../transport';
import { errorMessage } from '../../errors';
import { openDocument, saveDocuments, tellOutcome } from './pdf';
import type { TopicPayload } from '../../../../shared/api/contract';

export function BatchPrint({ ids }: { ids: string[] }) {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<TopicPayload['print.progress'] | null>(null);

  const current = useRef<string | null>(null);
  const [saving, setSaving] = useState<{ done: number; total: number; state: 'running' | 'done' | 'cancelled' } | null>(null);
  const stopSaving = useRef(false);

  /**
   * One file per document, exactly as stored and signed: the desktop saves them all in a folder
   * chosen once; a browser downloads them one by one, with progress and a way to stop.
   */
  async function saveEach() {
    stopSaving.current = false;
    setSaving({ done: 0, total: ids.length, state: 'running' });
    try {
      const r = await saveDocuments(
        ids,
        (done, total) => setSaving({ done, total, state: done === total ? 'done' : 'running' }),
        () => stopSaving.current,
      );
      setSaving({ done: r.saved, total: ids.length, state: r.done ? 'done' : 'cancelled' });
      if (r.done) void message.success(r.message);
      else void message.warning(r.message);
    } catch (e) {
      setSaving(null);
      void message.error(errorMessage(e));
    }
  }

  const onProgress = useCallback(
    (p: TopicPayload['print.progress']) => {
      if (p.jobId !== current.current) return;
      setProgress(p);
      if (p.state === 'running') return;
      current.current = null;
      setJobId(null);
      if (p.state === 'done')
        void openDocument({ printJobId: p.jobId })
          .then((o) => tellOutcome(message, o))
          .catch((e: unknown) => void message.error(errorMessage(e)));
    },
    [message],
  );

  // Subscribed for as long as the panel is open, so no event of a quick job is missed.
  useEffect(() => subscribe('print.progress', onProgress), [onProgress]);

  async function start() {
    setProgress(null);
    try {
      const { jobId: id } = await invoke('print.start', { ids });
      current.current = id;
      setJobId(id);
      // A short job may finish before its first event reaches us: ask once.
      const st = await invoke('print.status', { jobId: id });
      if (st.state !== 'running') onProgress({ jobId: id, done: st.done, total: st.total, state: st.state, message: st.message });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" disabled={ids.length === 0 || !!jobId} onClick={() => void start()}>
          合并打印所选（{ids.length}）
        </Button>
        {jobId && (
          <Button danger onClick={() => void invoke('print.cancel', { jobId })}>
            取消
          </Button>
        )}
        <Button disabled={ids.length === 0 || saving?.state === 'running'} onClick={() => void saveEach()}>
          逐份保存（{ids.length}）
        </Button>
        {saving?.state === 'running' && (
          <Button danger onClick={() => (stopSaving.current = true)}>
            停止保存
          </Button>
        )}
      </Space>
      {saving && (
        <Progress
          percent={Math.round((100 * saving.done) / Math.max(1, saving.total))}
          status={saving.state === 'cancelled' ? 'exception' : saving.state === 'done' ? 'success' : 'active'}
          format={() => `已保存 ${saving.done}/${saving.total}`}
        />
      )}
      {progress && (
        <>
          <Progress
            percent={Math.round((100 * progress.done) / Math.max(1, progress.total))}
            status={
              progress.state === 'failed' || progress.state === 'cancelled' ? 'exception' : progress.state === 'done' ? 'success' : 'active'
            }
            format={() => `${progress.done}/${progress.total}`}
          />
          {progress.message && <Alert type={progress.state === 'done' ? 'success' : 'warning'} showIcon message={progress.message} />}
        </>
      )}
    </Space>
  );
}
