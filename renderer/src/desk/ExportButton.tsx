// 导出: every list and table offers Excel (XLSX) and CSV. The host builds the file from the same
// query the screen shows (and audits the export); here it is only saved.
import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { ExportFile, ExportFormat } from '../../../shared/api/methods/desk';
import { errorMessage } from '../errors';
import { downloadFile } from './download';

export function ExportButton({
  run,
  label = '导出',
  size = 'middle',
  disabled = false,
}: {
  run: (format: ExportFormat) => Promise<ExportFile>;
  label?: string;
  size?: 'small' | 'middle';
  disabled?: boolean;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function go(format: ExportFormat) {
    setBusy(true);
    try {
      const f = await run(format);
      downloadFile(f.dataBase64, f.filename, f.mime);
      void message.success(`已导出 ${f.rows} 行：${f.filename}`);
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dropdown
      disabled={disabled || busy}
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: 'Excel 表格（.xlsx）' },
          { key: 'csv', label: 'CSV 文本（.csv）' },
        ],
        onClick: ({ key }) => void go(key as ExportFormat),
      }}
    >
      <Button size={size} icon={<DownloadOutlined />} loading={busy} aria-label={label}>
        {label}
      </Button>
    </Dropdown>
  );
}
