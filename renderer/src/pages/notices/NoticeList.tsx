// Issued documents: open, print or download the stored, signed file.
import { useState } from 'react';
import { App, Button, Space, Table, Tag, Tooltip } from 'antd';
import { useRpcQuery } from '../../rpc';
import { errorMessage } from '../../errors';
import { openDocument, printDocument, saveDocuments, tellOutcome } from './pdf';
import { BatchPrint } from './BatchPrint';
import type { ApiOutput } from '../../../../shared/api/contract';
import type { PartyCode } from '../../../../shared/cases/enums';
import { DeliverButton, DELIVERABLE, VoidButton } from './DocumentActions';

type Row = ApiOutput<'notices.list'>[number];

/** With `actions`, a case's own list: each document in force can be delivered (送达) or voided (作废). */
export function NoticeList({ caseId, actions }: { caseId?: string; actions?: { parties: PartyCode[]; today: string } }) {
  const { message } = App.useApp();
  const list = useRpcQuery('notices.list', caseId ? { caseId } : {});
  const [selected, setSelected] = useState<string[]>([]);
  async function fetchPdf(r: Row, how: 'open' | 'print' | 'download') {
    try {
      if (how === 'open') tellOutcome(message, await openDocument({ documentId: r.id }));
      else if (how === 'print') tellOutcome(message, await printDocument({ documentId: r.id }));
      else tellOutcome(message, await saveDocuments([r.id]));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <BatchPrint ids={selected} />
      <Table<Row>
        rowKey="id"
        size="small"
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: '尚未出具文书' }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          {
            title: '文号',
            dataIndex: 'documentNo',
            render: (v: string, r) =>
              r.voided ? (
                <Tooltip title={`${r.voided.at.slice(0, 10)} 由${r.voided.byName}作废：${r.voided.reason}`}>
                  <span style={{ textDecoration: 'line-through', color: '#999' }}>{v}</span> <Tag color="red">已作废</Tag>
                </Tooltip>
              ) : (
                v
              ),
          },
          { title: '文书', dataIndex: 'typeLabel' },
          { title: '签发人', dataIndex: 'signerName' },
          { title: '出具时间', dataIndex: 'issuedAt', render: (v: string) => v.replace('T', ' ').slice(0, 16) },
          { title: '校验值', dataIndex: 'sha256', render: (v: string) => <code title={v}>{v.slice(0, 12)}…</code> },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => void fetchPdf(r, 'open')}>
                  查看
                </Button>
                <Button size="small" onClick={() => void fetchPdf(r, 'print')}>
                  打印
                </Button>
                <Button size="small" onClick={() => void fetchPdf(r, 'download')}>
                  下载
                </Button>
                {actions && !r.voided && DELIVERABLE.includes(r.type) && (
                  <DeliverButton doc={r} parties={actions.parties} today={actions.today} />
                )}
                {actions && !r.voided && <VoidButton doc={r} />}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
