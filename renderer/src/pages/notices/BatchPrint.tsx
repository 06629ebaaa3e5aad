// Combines the selected documents into one file for the printer, with a progress bar and a
// cancel button; the window stays usable while the host works.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Progress, Space } from 'antd';
import { invoke, subscribe } from '../../transport';
import { errorMessage } from '../../errors';
import { openPdf } from './pdf';
import type { TopicPayload } from '../../../../shared/api/contract';

export function BatchPrint({ ids }: { ids: string[] }) {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<TopicPayload['print.progress'] | null>(null);

  const current = useRef<string | null>(null);

  const onProgress = useCallback(
    (p: TopicPayload['print.progress']) => {
      if (p.jobId !== current.current) return;
      setProgress(p);
      if (p.state === 'running') return;
      current.current = null;
      setJobId(null);
      if (p.state === 'done') void invoke('print.take', { jobId: p.jobId }).then((r) => openPdf(r.pdfBase64, '合并打印')).catch((e: unknown) => void message.error(errorMessage(e)));
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
        {jobId && <Button danger onClick={() => void invoke('print.cancel', { jobId })}>取消</Button>}
      </Space>
      {progress && (
        <>
          <Progress percent={Math.round((100 * progress.done) / Math.max(1, progress.total))} status={progress.state === 'failed' || progress.state === 'cancelled' ? 'exception' : progress.state === 'done' ? 'success' : 'active'} format={() => `${progress.done}/${progress.total}`} />
          {progress.message && <Alert type={progress.state === 'done' ? 'success' : 'warning'} showIcon message={progress.message} />}
        </>
      )}
    </Space>
  );
}
