// 同步: this computer's link to the province's centre. Enrolment (administrators: centre address
// and one-time code), the status (connected or not, what waits, last success, last error in plain
// words), 立即同步 with its progress, the outbox (waiting, refused and conflicting items with the
// centre's message), the history of passes, and the reference data in force (with centre items
// refused as untrustworthy or malformed). A revoked computer says so and can export what it
// could not send; administrators and managers also see the 同步冲突 inbox (ConflictInbox).
// Nothing here is needed to work: everything is saved on this computer first.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Progress, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CloudSyncOutlined, DownloadOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { subscribe } from '../../transport';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { SessionInfo } from '../../App';
import type { ApiOutput } from '../../../../shared/api/contract';
import { ConflictInbox } from './ConflictInbox';
import type { SyncProgress, outboxItemSchema, syncPassSchema } from '../../../../shared/api/methods/sync';

type OutboxItem = z.infer<typeof outboxItemSchema>;
type Pass = z.infer<typeof syncPassSchema>;

const ITEM_STATUS: Record<OutboxItem['status'], { text: string; color: string }> = {
  pending: { text: '待上传', color: 'blue' },
  acked: { text: '中心已接收', color: 'green' },
  rejected: { text: '中心拒收', color: 'red' },
  conflict: { text: '与中心冲突', color: 'orange' },
};

const OUTCOME: Record<Pass['outcome'], { text: string; color: string }> = {
  running: { text: '进行中', color: 'blue' },
  ok: { text: '成功', color: 'green' },
  failed: { text: '未完成', color: 'red' },
  offline: { text: '无法连接中心', color: 'default' },
  revoked: { text: '本机已停用', color: 'red' },
};

const TRIGGER: Record<Pass['trigger'], string> = { background: '自动', manual: '手动', cli: '命令行' };

/** Saves text as a UTF-8 file through the browser's download (the same in Electron). */
function downloadText(content: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function EnrolForm() {
  const [form] = Form.useForm<{ url: string; code: string; deviceName: string }>();
  const enrol = useRpcMutation('sync.enrol');
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  async function submit(values: { url: string; code: string; deviceName: string }) {
    setError(null);
    try {
      const r = await enrol.mutateAsync(values);
      void message.success(`注册成功：本机标识 ${r.deviceTag}，属于${r.officeName}。此后新登记的编号使用该标识`);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }
  return (
    <Card size="small" title="在中心注册本机">
      <Typography.Paragraph type="secondary">
        向中心管理员索取一次性注册码（形如 XXXX-XXXX-XXXX-XXXX，24
        小时内有效，只能使用一次），连同中心地址填在下面。注册后本机会自动与中心同步；断网时照常办理，联网后自动补传。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ deviceName: '办公电脑' }}
        style={{ maxWidth: 520 }}
      >
        <Form.Item label="中心地址" name="url" rules={[{ required: true, message: '请填写中心地址' }]}>
          <Input placeholder="https://中心地址" autoComplete="off" data-testid="sync-url" />
        </Form.Item>
        <Form.Item label="注册码" name="code" rules={[{ required: true, message: '请填写注册码' }]}>
          <Input placeholder="XXXX-XXXX-XXXX-XXXX" autoComplete="off" data-testid="sync-code" />
        </Form.Item>
        <Form.Item label="本机名称（中心用它区分各台电脑）" name="deviceName" rules={[{ required: true, message: '请填写本机名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={enrol.isPending}>
          注册
        </Button>
      </Form>
    </Card>
  );
}

const PROBLEMS_HELP =
  '中心拒收的修改不生效：同步时本机的相关记录恢复为中心的版本（中心从未收到过的新记录仍留在本机）。' +
  '拒收的修改内容保留在这里，可按说明处理后重新办理；冲突由管理员在“同步冲突”中逐条决定。';

function OutboxTable({ filter }: { filter: 'waiting' | 'problems' | 'all' }) {
  const q = useRpcQuery('sync.outbox', { filter, limit: 200 });
  const table = (
    <Table<OutboxItem>
      size="small"
      rowKey="seq"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={false}
      locale={{ emptyText: filter === 'waiting' ? '没有待上传的记录' : filter === 'problems' ? '没有被拒收或冲突的记录' : '暂无记录' }}
      footer={q.data && q.data.total > q.data.items.length ? () => `共 ${q.data.total} 条，显示前 ${q.data.items.length} 条` : undefined}
      columns={[
        { title: '序号', dataIndex: 'seq', width: 70 },
        { title: '操作', dataIndex: 'label', width: 160 },
        { title: '办理人', dataIndex: 'userName', width: 120, render: (v: string | null) => v ?? '—' },
        { title: '时间', dataIndex: 'createdAt', width: 190 },
        {
          title: '状态',
          dataIndex: 'status',
          width: 110,
          render: (s: OutboxItem['status']) => <Tag color={ITEM_STATUS[s].color}>{ITEM_STATUS[s].text}</Tag>,
        },
        { title: '说明', dataIndex: 'message', render: (m: string | null, r) => m ?? (r.attempts > 0 ? `已尝试 ${r.attempts} 次` : '') },
      ]}
    />
  );
  if (filter !== 'problems') return table;
  return (
    <>
      <Typography.Paragraph type="secondary">{PROBLEMS_HELP}</Typography.Paragraph>
      {table}
    </>
  );
}

function HistoryTable() {
  const q = useRpcQuery('sync.history', { limit: 30 });
  return (
    <Table<Pass>
      size="small"
      rowKey="id"
      loading={q.isLoading}
      dataSource={q.data ?? []}
      pagination={false}
      locale={{ emptyText: '还没有同步过' }}
      columns={[
        { title: '开始', dataIndex: 'startedAt', width: 190 },
        { title: '方式', dataIndex: 'trigger', width: 70, render: (t: Pass['trigger']) => TRIGGER[t] },
        {
          title: '结果',
          dataIndex: 'outcome',
          width: 120,
          render: (o: Pass['outcome']) => <Tag color={OUTCOME[o].color}>{OUTCOME[o].text}</Tag>,
        },
        { title: '上传', dataIndex: 'pushed', width: 70 },
        { title: '下载', dataIndex: 'pulled', width: 70 },
        { title: '冲突', dataIndex: 'conflicts', width: 70 },
        { title: '说明', dataIndex: 'message', render: (m: string | null) => m ?? '' },
      ]}
    />
  );
}

type Row = ApiOutput<'reference.list'>['items'][number];

const SOURCE: Record<'bundled' | 'centre', { text: string; color: string }> = {
  bundled: { text: '随安装包', color: 'default' },
  centre: { text: '中心发布', color: 'blue' },
};

/** The reference data in force (rule packs, calendar, catalogue …) and the centre items this computer refused. */
function ReferenceTable() {
  const q = useRpcQuery('reference.list', {});
  // A rule pack by its Chinese name, never its id (qinghai-2026).
  const packs = useRpcQuery('rules.packs', {});
  const packName = (id: string) => packs.data?.find((p) => p.id === id)?.name ?? '规则包';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {(q.data?.rejections ?? []).slice(0, 5).map((r, i) => (
        <Alert
          key={`${r.at}-${i}`}
          type="error"
          showIcon
          message={`${r.at.slice(0, 16).replace('T', ' ')} 拒收中心发布的${r.kindLabel}（版本 ${r.version}）`}
          description={`${r.message}。本机继续使用原有版本。`}
        />
      ))}
      <Table<Row>
        size="small"
        rowKey={(r) => `${r.kind}/${r.itemId}`}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '种类', dataIndex: 'kindLabel', width: 160 },
          { title: '名称', dataIndex: 'itemId', render: (id: string, r) => (r.kind === 'rule_pack' ? packName(id) : '—') },
          { title: '版本', dataIndex: 'version', width: 120 },
          {
            title: '来源',
            dataIndex: 'source',
            width: 100,
            render: (src: Row['source']) => <Tag color={SOURCE[src].color}>{SOURCE[src].text}</Tag>,
          },
          { title: '启用时间', dataIndex: 'installedAt', width: 170, render: (at: string) => at.slice(0, 16).replace('T', ' ') },
        ]}
      />
    </Space>
  );
}

export function SyncPage({ session }: { session: SessionInfo }) {
  const isAdmin = session.user.roles.includes('admin');
  const canDecide = isAdmin || session.user.roles.includes('manager');
  const status = useRpcQuery('sync.status', {});
  const now = useRpcMutation('sync.now');
  const exportOutbox = useRpcMutation('sync.exportOutbox');
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const { message } = App.useApp();
  const onProgress = useCallback((p: SyncProgress) => setProgress(p), []);
  useEffect(() => subscribe('sync.progress', onProgress), [onProgress]);
  const s = status.data;

  async function syncNow() {
    setProgress({ phase: 'push', done: 0, total: 0, message: '正在连接中心' });
    try {
      const r = await now.mutateAsync({});
      if (r.ok)
        void message.success(`同步完成：上传 ${r.pushed} 条，下载 ${r.pulled} 条${r.conflicts ? `，${r.conflicts} 条与中心冲突` : ''}`);
      else void message.error(r.errors[0] ?? '同步未完成');
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  async function exportFile() {
    try {
      const r = await exportOutbox.mutateAsync({});
      downloadText(r.content, r.fileName);
      void message.success(`已导出 ${r.count} 条未同步的记录：${r.fileName}，请交给中心管理员`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  if (!s) return <Card loading />;
  const running = now.isPending || s.running;
  const state = !s.configured
    ? '未注册'
    : s.revoked
      ? '本机已被中心停用'
      : s.online
        ? '已连接中心'
        : '未连接中心（离线时照常办理，联网后自动补传）';

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        同步
      </Typography.Title>
      {s.revoked && (
        <Alert
          type="error"
          showIcon
          message="本机已被中心停用，不再与中心同步"
          description={
            <Space direction="vertical">
              <span>
                本机保存的数据都还在，也可以继续查看；尚未上传的 {s.pendingOutbox} 条记录仍保存在本机。
                {isAdmin ? '请导出这些记录交给中心管理员处理。' : '请联系系统管理员。'}
              </span>
              {s.lastError && <span>中心的答复：{s.lastError}</span>}
              {isAdmin && (
                <Button icon={<DownloadOutlined />} onClick={() => void exportFile()} loading={exportOutbox.isPending}>
                  导出未同步的记录
                </Button>
              )}
            </Space>
          }
        />
      )}
      {s.configured && (
        <Card size="small" title="同步状态">
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label="状态">
              <span data-testid="sync-state">{state}</span>
            </Descriptions.Item>
            <Descriptions.Item label="中心">
              {s.officeName}（本机标识 {s.deviceTag}）
            </Descriptions.Item>
            <Descriptions.Item label="待上传">
              <span data-testid="sync-pending">{s.pendingOutbox}</span> 条
            </Descriptions.Item>
            <Descriptions.Item label="拒收 / 冲突">
              {s.rejected} / {s.conflicts} 条
            </Descriptions.Item>
            <Descriptions.Item label="上次成功同步">{s.lastSyncAt ?? '尚未成功同步'}</Descriptions.Item>
            <Descriptions.Item label="上次错误">{s.lastError ?? '无'}</Descriptions.Item>
          </Descriptions>
          {!s.revoked && (
            <Space style={{ marginTop: 12 }} align="center" wrap>
              <Button type="primary" icon={<CloudSyncOutlined />} loading={running} onClick={() => void syncNow()}>
                立即同步
              </Button>
              {progress && (
                <span data-testid="sync-progress" style={{ minWidth: 320, display: 'inline-flex', alignItems: 'center', gap: 8 }}>
                  {progress.total > 0 && progress.phase === 'push' && (
                    <Progress percent={Math.round((progress.done / progress.total) * 100)} size="small" style={{ width: 160 }} />
                  )}
                  <Typography.Text type={progress.phase === 'failed' ? 'danger' : undefined}>{progress.message}</Typography.Text>
                </span>
              )}
            </Space>
          )}
        </Card>
      )}
      {isAdmin && !s.configured && <EnrolForm />}
      {!s.configured && !isAdmin && (
        <Alert
          type="info"
          showIcon
          message="本机尚未在中心注册"
          description="所有数据保存在本机，可照常办理。注册由系统管理员在本页完成。"
        />
      )}
      <Card size="small">
        <Tabs
          items={[
            { key: 'waiting', label: `待上传（${s.pendingOutbox}）`, children: <OutboxTable filter="waiting" /> },
            { key: 'problems', label: `拒收与冲突（${s.rejected + s.conflicts}）`, children: <OutboxTable filter="problems" /> },
            { key: 'all', label: '全部记录', children: <OutboxTable filter="all" /> },
            { key: 'history', label: '同步记录', children: <HistoryTable /> },
            { key: 'reference', label: '参考数据', children: <ReferenceTable /> },
            ...(canDecide ? [{ key: 'conflicts', label: '同步冲突', children: <ConflictInbox /> }] : []),
          ]}
        />
      </Card>
    </Space>
  );
}
