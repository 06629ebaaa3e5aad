// One 鉴定专场: the cases on its list (↑/↓ or J/K to move between them without reloading),
// cases still to assign, and the grading sheet of the selected case.
import { useEffect, useState } from 'react';
import { App, Button, Card, Col, List, Row, Space, Tabs, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { prefetchRpc, useRpcMutation, useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import type { SessionInfo } from '../../App';
import { GradingPanel } from './GradingPanel';
import { HearingReport } from './HearingReport';
import { gradeLabel } from '../../../../shared/appraisal/grades';
import { BatchPrint } from '../notices/BatchPrint';
import { BatchIssue } from '../../desk/BatchIssue';
import { Choice } from '../../forms/Choice';

export function HearingPage({ hearingId, session }: { hearingId: string; session: SessionInfo }) {
  const hearingsAssign = useRpcMutation('hearings.assign');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const s = useRpcQuery('hearings.get', { hearingId });
  const isSecretary = session.user.roles.includes('appraisal_secretary');
  const candidates = useRpcQuery('hearings.candidates', { hearingId }, { enabled: isSecretary });
  const documents = useRpcQuery('hearings.documents', { hearingId });
  const [toAssign, setToAssign] = useState<string[]>([]);
  const [current, setCurrent] = useState(0);
  const items = s.data?.items ?? [];
  const selected = items[Math.min(current, Math.max(0, items.length - 1))];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === 'ArrowDown' || e.key === 'j') setCurrent((c) => Math.min(c + 1, items.length - 1));
      if (e.key === 'ArrowUp' || e.key === 'k') setCurrent((c) => Math.max(c - 1, 0));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length]);

  // The next case's sheet is fetched while the current one is being worked on.
  const next = items[current + 1];
  useEffect(() => {
    if (next) void prefetchRpc(qc, 'hearings.sheet', { hearingId, caseId: next.caseId });
  }, [next, qc, hearingId]);

  async function assign() {
    try {
      await hearingsAssign.mutateAsync({ hearingId, caseIds: toAssign });
      setToAssign([]);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  if (!s.data) return null;
  return (
    <Row gutter={16}>
      <Col span={7}>
        <Card size="small" title={`${s.data.hearingNo} · ${s.data.date} · ${s.data.venue}`}>
          <List
            size="small"
            dataSource={items}
            locale={{ emptyText: '尚未安排案件' }}
            renderItem={(it, i) => (
              <List.Item
                onClick={() => setCurrent(i)}
                style={{ cursor: 'pointer', background: selected?.caseId === it.caseId ? '#e6f0fb' : undefined }}
              >
                <Space>
                  <span>{it.position}.</span>
                  <span>{it.name}</span>
                  <Typography.Text type="secondary">{it.caseNo}</Typography.Text>
                  {it.signed ? (
                    <Tag color="green">{gradeLabel(it.grade)}</Tag>
                  ) : it.attendance === 'absent' ? (
                    <Tag color="red">缺席</Tag>
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
          <Typography.Text type="secondary">↑/↓ 或 J/K 切换案件</Typography.Text>
          <div style={{ marginTop: 12 }}>
            <Typography.Text>本专场已出具的结论书与待遇核定通知书：{documents.data?.ids.length ?? 0} 份</Typography.Text>
            <BatchPrint ids={documents.data?.ids ?? []} />
            {(isSecretary || session.user.roles.includes('appraisal_leader')) && (
              <div style={{ marginTop: 8 }}>
                <BatchIssue kind="conclusions" hearingId={hearingId} />
              </div>
            )}
          </div>
          {isSecretary && (
            <Space.Compact style={{ width: '100%', marginTop: 12 }}>
              <Choice
                mode="multiple"
                style={{ width: '100%' }}
                value={toAssign}
                onChange={setToAssign}
                placeholder="安排待鉴定案件"
                options={(candidates.data ?? []).map((c) => ({
                  value: c.caseId,
                  label: `${c.name} ${c.caseNo}${c.blockedBy ? `（${c.blockedBy}）` : ''}`,
                  disabled: c.blockedBy !== null,
                }))}
                aria-label="安排待鉴定案件"
              />
              <Button disabled={toAssign.length === 0} onClick={() => void assign()}>
                安排
              </Button>
            </Space.Compact>
          )}
        </Card>
      </Col>
      <Col span={17}>
        <Tabs
          size="small"
          items={[
            {
              key: 'sheet',
              label: '评定表',
              children: selected ? (
                <GradingPanel
                  key={selected.caseId}
                  hearingId={hearingId}
                  caseId={selected.caseId}
                  canSign={session.user.roles.includes('appraisal_leader')}
                />
              ) : null,
            },
            { key: 'report', label: '专场报告', children: <HearingReport hearingId={hearingId} /> },
          ]}
        />
      </Col>
    </Row>
  );
}
