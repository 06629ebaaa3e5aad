// 备份与恢复: make a backup of the whole data folder now (while others keep working), and
// re-issue the recovery key. Restoring is done with the app closed, from the command line.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Modal, Space, Typography } from 'antd';
import { invoke } from '../../transport';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { ApiOutput } from '../../../../shared/api/contract';
import { RecoveryKeyNotice } from '../../shell/RecoveryKeyNotice';

export function BackupTab() {
  const { message, modal } = App.useApp();
  const status = useRpcQuery('recovery.status', {});
  const recoveryIssue = useRpcMutation('recovery.issue');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<ApiOutput<'backup.create'> | null>(null);
  const [issued, setIssued] = useState<string | null>(null);

  async function backupNow() {
    setBusy(true);
    try {
      setMade(await invoke('backup.create', {}));
      void message.success('备份已完成');
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function reissue() {
    modal.confirm({
      title: '重新生成恢复密钥？',
      content: '新的恢复密钥生成后，旧的恢复密钥立即作废；此前制作的备份在其他电脑上仍需旧恢复密钥才能恢复，请随后重新备份。',
      okText: '重新生成',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          setIssued((await recoveryIssue.mutateAsync({})).recoveryKey);
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 900 }}>
      <Card size="small" title="备份">
        <Typography.Paragraph>
          备份文件包含全部案件、附件、文书和审计日志，已加密并附校验和；备份时其他人可以继续办理。请把备份文件复制到移动硬盘等其他介质，并与恢复密钥分开保管。
        </Typography.Paragraph>
        <Button type="primary" loading={busy} onClick={() => void backupNow()}>
          立即备份
        </Button>
        {made && (
          <Descriptions style={{ marginTop: 12 }} bordered size="small" column={1} data-testid="backup-result">
            <Descriptions.Item label="备份文件">
              <Typography.Text copyable code>
                {made.file}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="大小">{(made.size / 1024 / 1024).toFixed(1)} MB</Descriptions.Item>
            <Descriptions.Item label="内容">
              案件 {made.cases} 件，附件 {made.attachments} 个
              {made.missingAttachments > 0 && (
                <Alert
                  style={{ marginTop: 8 }}
                  type="warning"
                  showIcon
                  data-testid="backup-missing"
                  message={`${made.missingAttachments} 个附件文件不在本机（从其他电脑同步来的案件尚未取得扫描件，或文件已丢失），未含在这份备份中`}
                />
              )}
            </Descriptions.Item>
            <Descriptions.Item label="校验值">
              <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
                {made.sha256}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card size="small" title="恢复密钥">
        {status.data && !status.data.exists && (
          <Alert
            style={{ marginBottom: 12 }}
            type="warning"
            showIcon
            message="本机尚未生成恢复密钥：电脑损坏或丢失时将无法在其他电脑上恢复备份，请立即生成"
          />
        )}
        {status.data?.exists && (
          <Typography.Paragraph>当前恢复密钥生成于 {status.data.createdAt?.slice(0, 16).replace('T', ' ')}。</Typography.Paragraph>
        )}
        <Button danger={status.data?.exists} onClick={reissue}>
          {status.data?.exists ? '重新生成恢复密钥' : '生成恢复密钥'}
        </Button>
      </Card>
      <Card size="small" title="从备份恢复">
        <Typography.Paragraph>
          恢复时请先关闭应用，在命令行运行：
          <Typography.Text code>npm run -s cli -- restore --data 数据目录 --from 备份文件</Typography.Text>
          。在另一台电脑上恢复时加上 <Typography.Text code>--with-recovery-key</Typography.Text>{' '}
          并输入恢复密钥。恢复前会校验整个备份，校验不通过则不作任何替换；被替换的原数据保留在数据目录中以{' '}
          <Typography.Text code>replaced-</Typography.Text> 开头的文件夹里。
        </Typography.Paragraph>
      </Card>
      <Modal open={!!issued} title="新的恢复密钥" footer={null} closable={false} maskClosable={false} width={560}>
        {issued && <RecoveryKeyNotice recoveryKey={issued} onDone={() => setIssued(null)} doneLabel="已保存" />}
      </Modal>
    </Space>
  );
}
