// Checks a PDF someone hands back: valid, altered, unknown signer, or not signed by us.
import { useState } from 'react';
import { Alert, Button, Descriptions, Space, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { invoke } from '../../transport';
import { errorMessage } from '../../errors';
import { fileToBase64 } from './pdf';
import type { ApiOutput } from '../../../../shared/api/contract';
import { VERIFY_STATUS_LABELS, type VerifyStatus } from '../../../../shared/notices/schemas';
import { factsForDisplay } from '../../../../shared/notices/facts';

const TYPE: Record<VerifyStatus, 'success' | 'error' | 'warning'> = {
  valid: 'success',
  altered: 'error',
  'unknown-signer': 'warning',
  unsigned: 'warning',
};

export function VerifyPanel() {
  const [result, setResult] = useState<ApiOutput<'notices.verify'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function check(file: File) {
    setError(null);
    setResult(null);
    try {
      setResult(await invoke('notices.verify', { pdfBase64: await fileToBase64(file) }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Upload accept=".pdf,application/pdf" showUploadList={false} beforeUpload={(f) => (void check(f), false)}>
        <Button icon={<UploadOutlined />}>选择要核验的 PDF 文书</Button>
      </Upload>
      {error && <Alert type="error" showIcon message={error} />}
      {result && (
        <Alert
          type={TYPE[result.status]}
          showIcon
          data-testid="verify-result"
          message={`核验结果：${VERIFY_STATUS_LABELS[result.status]}`}
          description={
            <>
              <div>{result.message}</div>
              {result.facts && (
                <Descriptions size="small" column={2} style={{ marginTop: 8 }}>
                  {factsForDisplay(result.facts).map(({ label, value }) => (
                    <Descriptions.Item key={label} label={label}>
                      {value}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              )}
              {result.status === 'valid' && (
                <div>{result.issuedHere ? '与本机存档的文书完全一致。' : '本机没有该文书的存档（可能由其他设备出具）。'}</div>
              )}
            </>
          }
        />
      )}
    </Space>
  );
}
