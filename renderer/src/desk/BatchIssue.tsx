// Batch issuing: all of a hearing's 结论书, or all approved 待遇核定通知书, in one action — asked
// for with a confirmation (documents cannot be taken back), then followed with progress and a
// cancel button while the host issues them one by one, and ended with a summary: which were
// issued with which numbers, which failed and why, how many were not attempted.
import { useEffect, useState } from 'react';
import { Alert, App, Button, List, Modal, Progress, Space, Typography } from 'antd';
import { FileDoneOutlined } from '@ant-design/icons';
import { invoke, subscribe } from '../transport';
import { useRpcQuery } from '../rpc';
import { errorMessage } from '../errors';
import type { BatchStatusView } from '../../../shared/api/methods/desk';

export function BatchIssue({ kind, hearingId = null }: { kind: 'conclusions' | 'determinations'; hearingId?: string | null }) {
  const { message } = App.useApp();
  const what = kind === 'conclusions' ? '鉴定结论书' : '待遇核定通知书';
  // Each issued document is a change: the app's data.changed subscription refreshes this list and the screens behind.
  const pending = useRpcQuery('batch.pending', { kind, hearingId });
  const [asking, setAsking] = useState(false);
  const [job, setJob] = useState<BatchStatusView | null>(null);

  const jobId = job?.id ?? null;
  const jobRunning = job?.state === 'running';
  useEffect(() => {
    if (!jobId || !jobRunning) return;
    const id = jobId;
    const off = subscribe('batch.progress', (p) => {
      if (p.jobId !== id) return;
      // The summary (numbers, failures) comes from the status call; the event only says when to ask.
      void invoke('batch.status', { jobId: id })
        .then(setJob)
        .catch(() => undefined);
    });
    // A missed event must not leave the dialog waiting: ask now and then as well.
    const poll = setInterval(
      () =>
        void invoke('batch.status', { jobId: id })
          .then(setJob)
          .catch(() => undefined),
      2000,
    );
    return () => {
      off();
      clearInterval(poll);
    };
  }, [jobId, jobRunning]);

  async function start() {
    setAsking(false);
    try {
      setJob(
        kind === 'conclusions'
          ? await invoke('batch.issueConclusions', { hearingId: hearingId! })
          : await invoke('batch.issueDeterminations', {}),
      );
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function cancel() {
    if (job) setJob(await invoke('batch.cancel', { jobId: job.id }));
  }

  const n = pending.data?.length ?? 0;
  const running = job?.state === 'running';
  return (
    <>
      <Button icon={<FileDoneOutlined />} disabled={n === 0} onClick={() => setAsking(true)} data-testid={`batch-${kind}`}>
        批量出具{what}（{n} 份待出具）
      </Button>
      <Modal
        open={asking}
        title={`批量出具${what}`}
        okText={`出具 ${n} 份`}
        cancelText="取消"
        onOk={() => void start()}
        onCancel={() => setAsking(false)}
      >
        <Typography.Paragraph>
          将按顺序逐份出具以下 {n} 份{what}
          ，文号依次取用；出具后的文书不能修改或撤回。某一份失败时，其余照常出具，结束后列出失败的案件和原因。
        </Typography.Paragraph>
        <List
          size="small"
          bordered
          dataSource={pending.data ?? []}
          renderItem={(p, i) => <List.Item>{`${i + 1}. ${p.label}`}</List.Item>}
          style={{ maxHeight: 240, overflow: 'auto' }}
        />
      </Modal>
      <Modal
        open={!!job}
        title={`批量出具${what}`}
        closable={!running}
        maskClosable={false}
        onCancel={() => setJob(null)}
        footer={
          running ? (
            <Button danger onClick={() => void cancel()}>
              取消（当前一份完成后停止）
            </Button>
          ) : (
            <Button type="primary" onClick={() => setJob(null)}>
              完成
            </Button>
          )
        }
      >
        {job && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Progress
              percent={Math.round((100 * job.done) / job.total)}
              status={job.state === 'running' ? 'active' : job.failed.length > 0 ? 'exception' : 'success'}
              format={() => `${job.done}/${job.total}`}
            />
            {running && <Typography.Text>正在出具：{job.current ?? '准备中'}（可继续其他工作）</Typography.Text>}
            {!running && (
              <Alert
                type={job.failed.length > 0 || job.state === 'cancelled' ? 'warning' : 'success'}
                showIcon
                data-testid="batch-summary"
                message={`已出具 ${job.issued.length} 份${job.failed.length ? `，失败 ${job.failed.length} 份` : ''}${job.notAttempted ? `，已取消未出具 ${job.notAttempted} 份` : ''}`}
              />
            )}
            {job.failed.map((f) => (
              <Alert key={f.label} type="error" showIcon message={`未能出具：${f.label}`} description={f.message} />
            ))}
            {!running && job.issued.length > 0 && (
              <List
                size="small"
                dataSource={job.issued}
                style={{ maxHeight: 200, overflow: 'auto' }}
                renderItem={(i) => (
                  <List.Item>
                    {i.label} · {i.documentNo}
                  </List.Item>
                )}
              />
            )}
          </Space>
        )}
      </Modal>
    </>
  );
}
