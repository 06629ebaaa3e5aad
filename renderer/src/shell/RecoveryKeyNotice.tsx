// The recovery key, shown once: at setup and when an administrator re-issues it. The person
// confirms they have kept it before the screen lets them go on; it is never shown again.
import { useState } from 'react';
import { Alert, Button, Checkbox, Space, Typography } from 'antd';

export function RecoveryKeyNotice({
  recoveryKey,
  onDone,
  doneLabel = '继续',
}: {
  recoveryKey: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  const [kept, setKept] = useState(false);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="warning"
        showIcon
        message="请立即抄写或打印恢复密钥，并与电脑分开妥善保管"
        description="电脑损坏或丢失时，只有用恢复密钥才能在另一台电脑上打开备份或数据。恢复密钥只显示这一次，系统不保存它；遗失后请由管理员重新生成（旧密钥随之作废），并重新备份。"
      />
      <Typography.Paragraph
        copyable={{ text: recoveryKey }}
        data-testid="recovery-key"
        style={{ fontFamily: 'monospace', fontSize: 18, textAlign: 'center', whiteSpace: 'nowrap', margin: 0 }}
      >
        {recoveryKey}
      </Typography.Paragraph>
      <Checkbox checked={kept} onChange={(e) => setKept(e.target.checked)}>
        我已抄写或打印恢复密钥，并将妥善保管
      </Checkbox>
      <Button type="primary" block disabled={!kept} onClick={onDone}>
        {doneLabel}
      </Button>
    </Space>
  );
}
