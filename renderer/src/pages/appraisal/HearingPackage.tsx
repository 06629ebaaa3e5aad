// 专场包: carry a 鉴定专场 to a laptop with no network and back. 导出专场包 saves one .json file
// holding everything the panel needs that day, encrypted for the device chosen to import it (a
// registered 可信设备, or this one); 导入专场包 merges such a file into this store and shows what
// was added, updated or kept (or, if anything is wrong, why nothing was imported).
// Rules: docs/hearing-package.md.
import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { SessionInfo } from '../../App';
import { MAX_PACKAGE_CHARS, type ImportSummary } from '../../../../shared/api/methods/hearing-package';
import { Choice } from '../../forms/Choice';

/** Saves text as a UTF-8 file through the browser's download (the same in Electron). */
function downloadText(content: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function HearingPackage({ session }: { session: SessionInfo }) {
  const hearingsExportPackage = useRpcMutation('hearings.exportPackage');
  const hearingsImportPackage = useRpcMutation('hearings.importPackage');
  const allowed = session.user.roles.some((r) => r === 'appraisal_secretary' || r === 'admin');
  const hearings = useRpcQuery('hearings.list', {}, { enabled: allowed });
  const recipients = useRpcQuery('hearings.packageRecipients', {}, { enabled: allowed });
  const [hearingId, setHearingId] = useState<string | null>(null);
  // 'self': this device; otherwise a registered trusted device's key id.
  const [recipient, setRecipient] = useState<string>('self');
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [result, setResult] = useState<{ summary: ImportSummary } | { error: string } | null>(null);
  const { message } = App.useApp();
  if (!allowed) return null;

  async function exportPackage() {
    if (!hearingId) return;
    setBusy('export');
    try {
      const r = await hearingsExportPackage.mutateAsync({ hearingId, recipientKeyId: recipient === 'self' ? null : recipient });
      downloadText(r.content, r.fileName);
      void message.success(`已导出 ${r.fileName}（已加密，只能在“${r.recipient}”上导入），请拷贝到该电脑`);
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function importPackage(file: File) {
    setResult(null);
    if (file.size > MAX_PACKAGE_CHARS * 3) {
      setResult({ error: '文件过大，不像是专场包，请确认选择的是“导出专场包”得到的 .json 文件' });
      return;
    }
    setBusy('import');
    try {
      const summary = await hearingsImportPackage.mutateAsync({ content: await file.text() });
      setResult({ summary });
    } catch (e) {
      setResult({ error: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card size="small" title="专场包（离线鉴定现场）">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          会场没有网络时：在办公室导出专场包（选择将要导入它的电脑，文件只对那台电脑可读），拷贝到现场电脑导入；鉴定结束后在现场电脑导出给办公室的电脑，回到办公室导入。只接受本机登记的可信设备导出的专场包，导入前会校验文件完整性，有任何问题则不导入任何数据。
        </Typography.Text>
        <Space wrap>
          <Choice
            style={{ minWidth: 260 }}
            placeholder="选择要导出的专场"
            aria-label="要导出的专场"
            value={hearingId}
            onChange={setHearingId}
            options={(hearings.data ?? []).map((s) => ({ value: s.id, label: `${s.hearingNo}（${s.date}，${s.cases} 件）` }))}
          />
          <Choice
            style={{ minWidth: 220 }}
            aria-label="接收设备"
            value={recipient}
            onChange={setRecipient}
            options={[
              { value: 'self', label: '本机' },
              ...(recipients.data?.devices ?? []).map((d) => ({
                value: d.keyId,
                label: d.canReceive ? d.label : `${d.label}（旧版密钥行，需重新登记）`,
                disabled: !d.canReceive,
              })),
            ]}
          />
          <Button icon={<DownloadOutlined />} disabled={!hearingId} loading={busy === 'export'} onClick={() => void exportPackage()}>
            导出专场包
          </Button>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => (void importPackage(f), false)}>
            <Button icon={<UploadOutlined />} loading={busy === 'import'}>
              导入专场包
            </Button>
          </Upload>
        </Space>
        {result && 'error' in result && (
          <Alert type="error" showIcon message="专场包未导入" description={result.error} data-testid="package-result" />
        )}
        {result && 'summary' in result && <ImportResult summary={result.summary} />}
      </Space>
    </Card>
  );
}

function ImportResult({ summary }: { summary: ImportSummary }) {
  const rows = summary.tables.filter((t) => t.added + t.updated + t.keptLocal > 0);
  const s = summary.source;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="package-result">
      <Alert
        type={summary.changed ? 'success' : 'info'}
        showIcon
        message={summary.changed ? `已导入专场 ${summary.hearingNo}` : `专场 ${summary.hearingNo} 的内容本机已全部具有，未做任何更改`}
        description={`来源：可信设备“${s.signer}”（${s.deviceTag}），${s.exportedBy} 导出于 ${s.exportedAt.slice(0, 16).replace('T', ' ')}。${
          summary.users.added > 0 ? `为 ${summary.users.added} 名其他电脑上的人员建立了不能登录的账号（仅用于显示姓名）。` : ''
        }${summary.audit.added > 0 ? `并入对方审计记录 ${summary.audit.added} 条。` : ''}${
          summary.changed && !summary.sentToCentre ? '这些变更由导出的电脑自行同步到中心。' : ''
        }`}
      />
      {rows.length > 0 && (
        <Table
          rowKey="table"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '内容', dataIndex: 'label' },
            { title: '新增', dataIndex: 'added' },
            { title: '更新', dataIndex: 'updated' },
            { title: '保留本机较新', dataIndex: 'keptLocal' },
            { title: '相同未变', dataIndex: 'unchanged' },
          ]}
        />
      )}
    </Space>
  );
}
