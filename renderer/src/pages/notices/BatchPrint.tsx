// A batch of issued documents: combined into one file for the printer, or saved as individual
// files (each exactly as stored and signed), with a progress bar and a cancel button; the
// window stays usable while the host works.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Progress, Space } from 'antd';
import { invoke, subscribe } from '../../transport';
import { errorMessage } from '../../errors';
import { downloadPdf, openPdf } from './pdf';
import type { TopicPayload } from '../../../../shared/api/contract';

export function BatchPrint({ ids }: { ids: string[] }) {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<TopicPayload['print.progress'] | null>(null);

  const current = useRef<string | null>(null);
  const [saving, setSaving] = useState<{ done: number; total: number; state: 'running' | 'done' | 'cancelled' } | null>(null);
  const stopSaving = useRef(false);

  /**
   * One file per document, exactly as stored. Browser: each is downloaded as it is fetched.
   * Electron: all are fetched, then saved together in a folder chosen once.
   */
  async function saveEach() {
    stopSaving.current = false;
    setSaving({ done: 0, total: ids.length, state: 'running' });
    const desktop = window.oip?.saveDocuments;
    const files: { pdfBase64: string; name: string }[] = [];
    try {
      for (const [i, id] of ids.entries()) {
        if (stopSaving.current) return setSaving({ done: i, total: ids.length, state: 'cancelled' });
        const d = await invoke('notices.get', { id });
        const name = `${d.typeLabel}-${d.documentNo}.pdf`;
        if (desktop) files.push({ pdfBase64: d.pdfBase64, name });
        else downloadPdf(d.pdfBase64, name);
        setSaving({ done: i + 1, total: ids.length, state: i + 1 === ids.length && !desktop ? 'done' : 'running' });
      }
      if (desktop) {
        const r = (await desktop(files)) as { ok: boolean; message?: string; folder?: string };
        if (!r.ok) throw new Error(r.message);
        setSaving({ done: files.length, total: ids.length, state: 'done' });
        void message.success(`已保存 ${files.length} 份到 ${r.folder ?? ''}`);
      }
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
        void invoke('print.take', { jobId: p.jobId })
          .then((r) => openPdf(r.pdfBase64, '合并打印'))
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
