// The 疑点 of one case, shown on its page for a second look: rule, what was found, evidence and
// basis; people who look into flags clear one with a reason. Nothing here blocks a move.
import { useState } from 'react';
import { Alert, Button, Descriptions, Space, Tag, Typography } from 'antd';
import { useRpcQuery } from '../../rpc';
import type { SessionInfo } from '../../App';
import { FLAG_STATUS_LABELS } from '../../../../shared/screening/rules';
import type { CaseFlag } from '../../../../shared/api/methods/desk';
import { canClearFlags, ClearFlagDialog } from '../monitoring/FlagQueue';

export function CaseFlags({ caseId, session }: { caseId: string; session: SessionInfo | null }) {
  const q = useRpcQuery('flags.ofCase', { caseId });
  const [clearing, setClearing] = useState<CaseFlag | null>(null);
  const open = (q.data ?? []).filter((f) => f.status === 'open');
  const past = (q.data ?? []).filter((f) => f.status !== 'open');
  if (!q.data || q.data.length === 0) return null;
  const canClear = !!session && canClearFlags(session);
  return (
    <>
      {open.map((f) => (
        <div key={f.id} data-testid="case-flag">
          <Alert
            type="warning"
            showIcon
            message={
              <Space wrap>
                <b>疑点：{f.label}</b>
                <Typography.Text type="secondary">（{f.article}；仅提示复核，不影响办理）</Typography.Text>
              </Space>
            }
            description={
              <>
                <div>{f.summary}</div>
                <Descriptions size="small" column={3} style={{ marginTop: 6 }}>
                  {Object.entries(f.evidence).map(([k, v]) => (
                    <Descriptions.Item key={k} label={k}>
                      {v ?? '—'}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              </>
            }
            action={
              canClear ? (
                <Button size="small" onClick={() => setClearing(f)}>
                  核查后清除
                </Button>
              ) : undefined
            }
          />
        </div>
      ))}
      {past.length > 0 && (
        <Typography.Text type="secondary">
          以往疑点：
          {past.map((f) => (
            <Tag key={f.id} title={f.clearReason ? `清除理由：${f.clearReason}（${f.clearedBy ?? ''}）` : f.summary}>
              {f.label}·{FLAG_STATUS_LABELS[f.status]}
            </Tag>
          ))}
        </Typography.Text>
      )}
      <ClearFlagDialog flag={clearing} onClose={() => setClearing(null)} />
    </>
  );
}
